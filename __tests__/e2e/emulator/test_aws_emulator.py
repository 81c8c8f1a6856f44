"""
The emulator's condition evaluation, offline: python3 -m unittest discover -s __tests__/e2e/emulator
(run by __tests__/e2e/emulator-conditions.test.ts in npm test). Expectations follow the IAM
pages cited in iam_conditions.py.
"""

import contextlib
import io
import json
import unittest

from iam_conditions import UnsupportedConditionOperator, condition_met, substitute

TLS = {"aws:SecureTransport": "true"}
ROLE = "arn:aws:iam::111122223333:role/s3-replication-acme-payments-logs"


class MissingKey(unittest.TestCase):
    """A key the request does not carry: negated operators hold, the others do not."""

    def test_negated_operators_hold(self):
        for operator, value in [
            ("StringNotEquals", "o-a1b2c3d4e5"),
            ("StringNotEqualsIgnoreCase", "o-a1b2c3d4e5"),
            ("StringNotLike", "o-*"),
            ("ArnNotEquals", ROLE),
            ("ArnNotLike", "arn:aws:iam::*:role/*"),
            ("NotIpAddress", "203.0.113.0/24"),
            ("NumericNotEquals", "3"),
        ]:
            with self.subTest(operator=operator):
                self.assertTrue(condition_met({operator: {"aws:SomeAbsentKey": value}}, TLS))

    def test_positive_operators_fail(self):
        for operator, value in [
            ("StringEquals", "o-a1b2c3d4e5"),
            ("StringLike", "*"),
            ("ArnEquals", ROLE),
            ("ArnLike", "arn:*"),
            ("IpAddress", "0.0.0.0/0"),
            ("NumericGreaterThan", "0"),
            ("Bool", "true"),
        ]:
            with self.subTest(operator=operator):
                self.assertFalse(condition_met({operator: {"aws:SomeAbsentKey": value}}, TLS))

    def test_if_exists_holds_when_absent_and_is_checked_when_present(self):
        self.assertTrue(condition_met({"StringEqualsIfExists": {"aws:SomeAbsentKey": "x"}}, TLS))
        self.assertTrue(condition_met({"StringNotLikeIfExists": {"aws:SomeAbsentKey": "x*"}}, TLS))
        self.assertFalse(condition_met({"BoolIfExists": {"aws:SecureTransport": "false"}}, TLS))
        self.assertTrue(condition_met({"BoolIfExists": {"aws:SecureTransport": "true"}}, TLS))

    def test_null_tests_presence(self):
        self.assertTrue(condition_met({"Null": {"aws:SomeAbsentKey": "true"}}, TLS))
        self.assertFalse(condition_met({"Null": {"aws:SomeAbsentKey": "false"}}, TLS))
        self.assertTrue(condition_met({"Null": {"aws:SecureTransport": "false"}}, TLS))
        self.assertFalse(condition_met({"Null": {"aws:SecureTransport": "true"}}, TLS))


class PresentKey(unittest.TestCase):
    def test_tls_only_deny_does_not_apply_to_a_tls_request(self):
        self.assertFalse(condition_met({"Bool": {"aws:SecureTransport": "false"}}, TLS))
        self.assertTrue(condition_met({"Bool": {"aws:SecureTransport": "false"}}, {"aws:SecureTransport": "false"}))

    def test_key_names_are_not_case_sensitive(self):
        self.assertTrue(condition_met({"Bool": {"AWS:securetransport": "TRUE"}}, TLS))

    def test_several_values_of_a_key_are_or_and_negated_ones_nor(self):
        context = {"aws:PrincipalArn": ROLE}
        self.assertTrue(condition_met({"ArnEquals": {"aws:PrincipalArn": ["arn:aws:iam::1:role/x", ROLE]}}, context))
        self.assertFalse(condition_met({"ArnNotEquals": {"aws:PrincipalArn": ["arn:aws:iam::1:role/x", ROLE]}}, context))
        self.assertTrue(condition_met({"ArnNotEquals": {"aws:PrincipalArn": ["arn:aws:iam::1:role/x"]}}, context))

    def test_operators_and_keys_are_and(self):
        context = {"aws:PrincipalOrgID": "o-a1b2c3d4e5", "aws:PrincipalArn": ROLE}
        organization = {
            "StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"},
            "StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/s3-replication-*"},
        }
        self.assertTrue(condition_met(organization, context))
        self.assertFalse(condition_met(organization, {**context, "aws:PrincipalOrgID": "o-zzzzzzzzzz"}))
        self.assertFalse(condition_met(organization, {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}))

    def test_string_like_wildcards_and_nothing_else(self):
        self.assertTrue(condition_met({"StringLike": {"k": "arn:aws:s3:::b/logs/*"}}, {"k": "arn:aws:s3:::b/logs/a/b"}))
        self.assertTrue(condition_met({"StringLike": {"k": "a?c"}}, {"k": "abc"}))
        self.assertFalse(condition_met({"StringLike": {"k": "a?c"}}, {"k": "abbc"}))
        # fnmatch would read [x] as a character class; IAM reads it literally.
        self.assertFalse(condition_met({"StringLike": {"k": "[ab]"}}, {"k": "a"}))
        self.assertTrue(condition_met({"StringLike": {"k": "[ab]"}}, {"k": "[ab]"}))
        self.assertFalse(condition_met({"StringEquals": {"k": "ABC"}}, {"k": "abc"}))
        self.assertTrue(condition_met({"StringEqualsIgnoreCase": {"k": "ABC"}}, {"k": "abc"}))

    def test_arn_operators_match_each_part_alone(self):
        self.assertTrue(condition_met({"ArnLike": {"aws:SourceArn": "arn:aws:s3:::acme-*"}}, {"aws:SourceArn": "arn:aws:s3:::acme-logs"}))
        self.assertTrue(condition_met({"ArnEquals": {"k": "arn:aws:iam::*:role/x"}}, {"k": "arn:aws:iam::111122223333:role/x"}))
        # A wildcard stays inside its part: the account part may not swallow the service part.
        self.assertFalse(condition_met({"ArnLike": {"k": "arn:*:role/x"}}, {"k": "arn:aws:iam::111122223333:role/x"}))
        self.assertFalse(condition_met({"ArnLike": {"k": "arn:aws:iam::*:role/x"}}, {"k": "not-an-arn"}))

    def test_numeric_and_ip_operators(self):
        self.assertTrue(condition_met({"NumericLessThanEquals": {"s3:max-keys": "10"}}, {"s3:max-keys": "10"}))
        self.assertFalse(condition_met({"NumericLessThan": {"s3:max-keys": "10"}}, {"s3:max-keys": "10"}))
        self.assertTrue(condition_met({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, {"aws:SourceIp": "203.0.113.9"}))
        self.assertTrue(condition_met({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, {"aws:SourceIp": "198.51.100.1"}))


class MultiValuedKeys(unittest.TestCase):
    """Set operators on multi-valued keys, such as the aliases of a KMS key (kms:ResourceAliases)."""

    ALIASES = {"kms:ResourceAliases": ["alias/central-log-archive-replicas", "alias/other"]}

    def test_for_any_value_needs_one_match_and_the_key(self):
        self.assertTrue(condition_met({"ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/other"}}, self.ALIASES))
        self.assertFalse(condition_met({"ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/x"}}, self.ALIASES))
        self.assertFalse(condition_met({"ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/x"}}, TLS))

    def test_for_all_values_needs_every_value_to_match_and_holds_without_the_key(self):
        keys = {"aws:TagKeys": ["managed-by", "team"]}
        self.assertTrue(condition_met({"ForAllValues:StringEquals": {"aws:TagKeys": ["managed-by", "team", "x"]}}, keys))
        self.assertFalse(condition_met({"ForAllValues:StringEquals": {"aws:TagKeys": ["managed-by"]}}, keys))
        self.assertTrue(condition_met({"ForAllValues:StringEquals": {"aws:TagKeys": ["x"]}}, TLS))
        self.assertTrue(condition_met({"ForAllValues:StringNotEquals": {"aws:TagKeys": ["replication-stack"]}}, keys))
        self.assertFalse(condition_met({"ForAllValues:StringNotEquals": {"aws:TagKeys": ["team"]}}, keys))

    def test_a_multi_valued_key_never_matches_a_single_valued_operator(self):
        self.assertFalse(condition_met({"StringEquals": {"kms:ResourceAliases": "alias/other"}}, self.ALIASES))


class PolicyVariables(unittest.TestCase):
    def test_a_variable_in_a_condition_value_takes_the_requests_value(self):
        condition = {"StringLike": {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::b/AWSLogs/${aws:PrincipalAccount}/*"}}
        own = {"aws:PrincipalAccount": "111122223333", "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::b/AWSLogs/111122223333/k"}
        other = {**own, "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::b/AWSLogs/222233334444/k"}
        self.assertTrue(condition_met(condition, own))
        self.assertFalse(condition_met(condition, other))

    def test_an_unresolved_variable_matches_nothing(self):
        condition = {"StringNotLike": {"k": "${aws:PrincipalAccount}"}}
        self.assertFalse(condition_met(condition, {"k": "x"}))

    def test_escaped_characters_stay_literal(self):
        self.assertEqual(substitute("a${$}b${?}${*}", {}), "a$b?*")


class Evaluation(unittest.TestCase):
    """iam_evaluation.decide: how identity and resource policies combine (pages cited there)."""

    ROLE_ACCOUNT = "111122223333"

    def request(self, action="s3:ReplicateObject", resource="arn:aws:s3:::dst/k"):
        from iam_evaluation import Request

        return Request(action, resource, {"aws:PrincipalArn": ROLE}, principal_arn=ROLE, principal_account=self.ROLE_ACCOUNT)

    def allow(self, action="s3:ReplicateObject", resource="arn:aws:s3:::dst/*", principal=None, effect="Allow"):
        statement = {"Effect": effect, "Action": action, "Resource": resource}
        if principal:
            statement["Principal"] = {"AWS": principal}
        return {"Version": "2012-10-17", "Statement": [statement]}

    def test_one_account_either_policy_allows(self):
        from iam_evaluation import decide

        self.assertTrue(decide(self.request(), [self.allow()]).allowed)
        self.assertTrue(decide(self.request(), [], self.allow(principal=ROLE), self.ROLE_ACCOUNT).allowed)
        # A bucket policy that names the account only delegates to the account's identity policies.
        self.assertFalse(decide(self.request(), [], self.allow(principal="111122223333"), self.ROLE_ACCOUNT).allowed)

    def test_across_accounts_both_must_allow(self):
        from iam_evaluation import decide

        self.assertFalse(decide(self.request(), [self.allow()], None, "444455556666").allowed)
        self.assertFalse(decide(self.request(), [], self.allow(principal=ROLE), "444455556666").allowed)
        self.assertTrue(decide(self.request(), [self.allow()], self.allow(principal=ROLE), "444455556666").allowed)
        self.assertTrue(
            decide(self.request(), [self.allow()], self.allow(principal="arn:aws:iam::111122223333:root"), "444455556666").allowed
        )

    def test_an_explicit_deny_wins_and_a_boundary_limits(self):
        from iam_evaluation import decide

        deny = self.allow(effect="Deny", principal="*")
        self.assertFalse(decide(self.request(), [self.allow()], deny, self.ROLE_ACCOUNT).allowed)
        boundary = self.allow(action="s3:Get*", resource="*")
        self.assertFalse(decide(self.request(), [self.allow()], boundary=boundary).allowed)
        self.assertTrue(decide(self.request(action="s3:GetObject"), [self.allow(action="s3:*")], boundary=boundary).allowed)

    def test_a_kms_key_policy_must_allow_directly_or_through_the_account(self):
        from iam_evaluation import decide

        key = "arn:aws:kms:us-east-1:111122223333:key/k"
        request = self.request("kms:Encrypt", key)
        own = self.allow("kms:*", "*", "arn:aws:iam::111122223333:root")
        self.assertFalse(decide(request, [self.allow("kms:Encrypt", key)], None, self.ROLE_ACCOUNT, kms=True).allowed)
        self.assertTrue(decide(request, [self.allow("kms:Encrypt", key)], own, self.ROLE_ACCOUNT, kms=True).allowed)
        self.assertFalse(decide(request, [], own, self.ROLE_ACCOUNT, kms=True).allowed)
        self.assertTrue(decide(request, [], self.allow("kms:Encrypt", "*", ROLE), self.ROLE_ACCOUNT, kms=True).allowed)

    def test_actions_ignore_case_resources_do_not_and_not_action_excludes(self):
        from iam_evaluation import decide

        self.assertTrue(decide(self.request(), [self.allow(action="S3:replicate*")]).allowed)
        self.assertFalse(decide(self.request(resource="arn:aws:s3:::DST/k"), [self.allow()]).allowed)
        not_action = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "s3:Replicate*", "Resource": "*"}]}
        self.assertFalse(decide(self.request(), [not_action]).allowed)

    def test_a_resource_with_a_variable_matches_the_requests_value_only(self):
        from iam_evaluation import Request, decide

        policy = self.allow(resource="arn:aws:s3:::dst/AWSLogs/${aws:PrincipalAccount}/*")
        context = {"aws:PrincipalAccount": "111122223333"}
        own = Request("s3:ReplicateObject", "arn:aws:s3:::dst/AWSLogs/111122223333/k", context, ROLE, "111122223333")
        other = Request("s3:ReplicateObject", "arn:aws:s3:::dst/AWSLogs/222233334444/k", context, ROLE, "111122223333")
        self.assertTrue(decide(own, [policy]).allowed)
        self.assertFalse(decide(other, [policy]).allowed)


class Unsupported(unittest.TestCase):
    def test_an_unimplemented_operator_is_named_never_unmet(self):
        for operator in ["DateLessThan", "BinaryEquals", "ForSomeValues:StringEquals", "ForAnyValue:DateEquals", "StringEqual", "NullIfExists"]:
            with self.subTest(operator=operator):
                with self.assertRaises(UnsupportedConditionOperator) as raised:
                    condition_met({operator: {"aws:SecureTransport": "x"}}, TLS)
                self.assertEqual(raised.exception.operator, operator)
                self.assertIn(repr(operator), str(raised.exception))

    def test_even_after_an_unmet_operator(self):
        with self.assertRaises(UnsupportedConditionOperator):
            condition_met({"Bool": {"aws:SecureTransport": "false"}, "DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}, TLS)


class Wrapper(unittest.TestCase):
    """The patched moto statement check, as bucket policies and trust policies reach it."""

    @classmethod
    def setUpClass(cls):
        import aws_emulator
        from moto.iam.access_control import IAMPolicy, PermissionResult

        cls.emulator, cls.IAMPolicy, cls.result = aws_emulator, IAMPolicy, PermissionResult

    def permission(self, *statements, action="s3:GetObject", resource="arn:aws:s3:::b/k"):
        policy = self.IAMPolicy(json.dumps({"Version": "2012-10-17", "Statement": list(statements)}))
        return policy.is_action_permitted(action, resource)

    def test_tls_only_bucket_lets_tls_requests_through(self):
        deny = {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Action": "s3:*",
            "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
        self.assertEqual(self.permission(deny), self.result.NEUTRAL)

    def test_a_negated_deny_on_a_missing_key_applies(self):
        deny = {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::b/*",
            "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
        }
        self.assertEqual(self.permission(deny), self.result.DENIED)

    def test_an_unsupported_operator_fails_the_request_and_says_so(self):
        deny = {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::b/*",
            "Condition": {"DateLessThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}},
        }
        printed = io.StringIO()
        with contextlib.redirect_stderr(printed), self.assertRaises(UnsupportedConditionOperator):
            self.permission(deny)
        self.assertIn(f"{self.emulator.UNSUPPORTED_CONDITION_MARKER} DateLessThan", printed.getvalue())


if __name__ == "__main__":
    unittest.main()
