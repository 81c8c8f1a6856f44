"""
The emulator's replication of new objects (replication.py) and its IAM policy simulator, offline
with moto's in-process mock and the patches of aws_emulator.py: run by
__tests__/e2e/emulator-conditions.test.ts in npm test. Expectations follow the AWS pages cited in
replication.py and iam_evaluation.py.
"""

import contextlib
import io
import json
import os
import time
import unittest

os.environ.setdefault("AWS_EMULATOR_REPLICATION_DELAY", "0.05")

import aws_emulator  # noqa: E402,F401  (the patches)
import boto3  # noqa: E402
import replication  # noqa: E402
from moto import mock_aws  # noqa: E402

SOURCE, DESTINATION = "111122223333", "444455556666"
REGION = "us-east-1"
ROLE = f"arn:aws:iam::{SOURCE}:role/s3-replication-src"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def role_policy(destination_objects="arn:aws:s3:::dst/*", account=DESTINATION, extra=()):
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"], "Resource": "arn:aws:s3:::src"},
            {
                "Effect": "Allow",
                "Action": ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
                "Resource": "arn:aws:s3:::src/*",
            },
            {
                "Effect": "Allow",
                "Action": ["s3:ReplicateObject", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"],
                "Resource": destination_objects,
                "Condition": {"StringEquals": {"s3:ResourceAccount": account}},
            },
            *extra,
        ],
    }


def bucket_policy(actions=("s3:ReplicateObject", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner")):
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": list(actions), "Resource": "arn:aws:s3:::dst/*"},
            {
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": "s3:*",
                "Resource": ["arn:aws:s3:::dst", "arn:aws:s3:::dst/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
        ],
    }


def rule(rule_id, priority, destination="dst", prefix=None, tags=None, storage=None, override=False, kms_key=None):
    filter_ = {}
    if prefix is not None and tags:
        filter_ = {"And": {"Prefix": prefix, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}}
    elif prefix is not None:
        filter_ = {"Prefix": prefix}
    elif tags:
        [(k, v)] = tags.items()
        filter_ = {"Tag": {"Key": k, "Value": v}}
    target = {"Bucket": f"arn:aws:s3:::{destination}", "Account": DESTINATION}
    if storage:
        target["StorageClass"] = storage
    if override:
        target["AccessControlTranslation"] = {"Owner": "Destination"}
    if kms_key:
        target["EncryptionConfiguration"] = {"ReplicaKmsKeyID": kms_key}
    result = {
        "ID": rule_id,
        "Priority": priority,
        "Status": "Enabled",
        "Filter": filter_,
        "DeleteMarkerReplication": {"Status": "Disabled"},
        "Destination": target,
    }
    if kms_key:
        result["SourceSelectionCriteria"] = {"SseKmsEncryptedObjects": {"Status": "Enabled"}}
    return result


class Accounts:
    """Clients with credentials of each account, as the end-to-end test's fixtures make them."""

    def __init__(self):
        sts = boto3.client("sts", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
        self.sessions = {}
        for account in (SOURCE, DESTINATION):
            c = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/e2e", RoleSessionName="tests")["Credentials"]
            self.sessions[account] = boto3.Session(
                aws_access_key_id=c["AccessKeyId"],
                aws_secret_access_key=c["SecretAccessKey"],
                aws_session_token=c["SessionToken"],
                region_name=REGION,
            )

    def client(self, account, service):
        return self.sessions[account].client(service)


MOCK = mock_aws()
CLIENTS = {}


def setUpModule():
    # One mock and one set of clients for the module: making clients is most of a test's time.
    MOCK.start()
    accounts = Accounts()
    for account in (SOURCE, DESTINATION):
        for service in ("s3", "iam", "kms"):
            CLIENTS[account, service] = accounts.client(account, service)


def tearDownModule():
    MOCK.stop()


def forget_everything():
    """
    S3 and KMS as new in every account, and the test's role gone (IAM keeps the sessions the
    clients use: resetting it would lose them).
    """
    from moto.iam.models import iam_backends
    from moto.kms.models import kms_backends
    from moto.s3.models import s3_backends

    for backends in (s3_backends, kms_backends):
        for account in backends.values():
            account.reset()
    s3_backends.bucket_accounts.clear()
    iam = iam_backends[SOURCE]["aws"]
    for role in list(iam.roles.values()):
        iam.roles.pop(role.id)


class ReplicationCase(unittest.TestCase):
    def setUp(self):
        forget_everything()
        replication.ORGANIZATIONS.clear()
        self.src = CLIENTS[SOURCE, "s3"]
        self.dst = CLIENTS[DESTINATION, "s3"]
        self.iam = CLIENTS[SOURCE, "iam"]
        self.log = io.StringIO()
        self.redirect = contextlib.redirect_stderr(self.log)
        self.redirect.__enter__()

    def tearDown(self):
        self.redirect.__exit__(None, None, None)

    def given(self, rules, role=None, policy=None, destination_versioning="Enabled", ownership=None):
        for client, name in ((self.src, "src"), (self.dst, "dst")):
            args = {"Bucket": name}
            if client is self.dst and ownership:
                args["ObjectOwnership"] = ownership
            client.create_bucket(**args)
        self.src.put_bucket_versioning(Bucket="src", VersioningConfiguration={"Status": "Enabled"})
        self.dst.put_bucket_versioning(Bucket="dst", VersioningConfiguration={"Status": destination_versioning})
        self.iam.create_role(RoleName="s3-replication-src", AssumeRolePolicyDocument=json.dumps(TRUST))
        self.iam.put_role_policy(
            RoleName="s3-replication-src",
            PolicyName="replication",
            PolicyDocument=json.dumps(role or role_policy()),
        )
        if policy is not False:
            self.dst.put_bucket_policy(Bucket="dst", Policy=json.dumps(policy or bucket_policy()))
        self.src.put_bucket_replication(Bucket="src", ReplicationConfiguration={"Role": ROLE, "Rules": rules})

    def settled(self, key, bucket="src"):
        """The object's replication status once it is no longer PENDING (at most 5 s)."""
        deadline = time.time() + 5
        while True:
            status = self.src.head_object(Bucket=bucket, Key=key).get("ReplicationStatus")
            if status != "PENDING" or time.time() > deadline:
                return status
            time.sleep(0.02)

    def replica(self, key):
        return self.dst.head_object(Bucket="dst", Key=key)

    def absent(self, key):
        with self.assertRaises(self.dst.exceptions.ClientError):
            self.replica(key)


class NewObjects(ReplicationCase):
    def test_pending_then_completed_and_the_copy_is_a_replica_of_the_same_version(self):
        self.given([rule("all", 1)])
        put = self.src.put_object(Bucket="src", Key="a/b.txt", Body=b"hello", ContentType="text/plain")
        self.assertEqual(self.src.head_object(Bucket="src", Key="a/b.txt")["ReplicationStatus"], "PENDING")
        self.assertEqual(self.settled("a/b.txt"), "COMPLETED")
        replica = self.replica("a/b.txt")
        self.assertEqual(replica["ReplicationStatus"], "REPLICA")
        self.assertEqual(replica["VersionId"], put["VersionId"])
        self.assertEqual(replica["ContentType"], "text/plain")
        self.assertEqual(self.dst.get_object(Bucket="dst", Key="a/b.txt")["Body"].read(), b"hello")

    def test_the_highest_priority_rule_for_a_destination_decides_and_its_storage_class_applies(self):
        self.given([rule("low", 1, prefix="logs/", storage="GLACIER"), rule("high", 2, prefix="logs/app/", storage="STANDARD_IA")])
        self.src.put_object(Bucket="src", Key="logs/app/1.txt", Body=b"x")
        self.src.put_object(Bucket="src", Key="logs/db/1.txt", Body=b"x")
        self.assertEqual(self.settled("logs/app/1.txt"), "COMPLETED")
        self.assertEqual(self.settled("logs/db/1.txt"), "COMPLETED")
        self.assertEqual(self.replica("logs/app/1.txt")["StorageClass"], "STANDARD_IA")
        self.assertEqual(self.replica("logs/db/1.txt")["StorageClass"], "GLACIER")

    def test_objects_outside_every_filter_get_no_status_and_no_copy(self):
        self.given([rule("logs", 1, prefix="logs/"), rule("tagged", 2, tags={"replicate": "yes"})])
        self.src.put_object(Bucket="src", Key="other/1.txt", Body=b"x")
        self.src.put_object(Bucket="src", Key="other/2.txt", Body=b"x", Tagging="replicate=yes&team=a")
        self.assertNotIn("ReplicationStatus", self.src.head_object(Bucket="src", Key="other/1.txt"))
        self.assertEqual(self.settled("other/2.txt"), "COMPLETED")
        tags = self.dst.get_object_tagging(Bucket="dst", Key="other/2.txt")["TagSet"]
        self.assertEqual(sorted((t["Key"], t["Value"]) for t in tags), [("replicate", "yes"), ("team", "a")])
        self.absent("other/1.txt")

    def test_a_replica_is_not_replicated_again(self):
        self.given([rule("all", 1)])
        self.dst.put_bucket_replication(Bucket="dst", ReplicationConfiguration={"Role": ROLE, "Rules": [rule("back", 1, destination="src")]})
        self.src.put_object(Bucket="src", Key="k", Body=b"x")
        self.assertEqual(self.settled("k"), "COMPLETED")
        self.assertEqual(self.replica("k")["ReplicationStatus"], "REPLICA")


class Permissions(ReplicationCase):
    def test_fails_without_the_destination_bucket_policy_grant(self):
        self.given([rule("all", 1)], policy=False)
        self.src.put_object(Bucket="src", Key="k", Body=b"x")
        self.assertEqual(self.settled("k"), "FAILED")
        self.absent("k")
        self.assertIn("DstPutObjectNotPermitted: s3:ReplicateObject on arn:aws:s3:::dst/k denied", self.log.getvalue())

    def test_fails_when_the_role_may_write_only_into_another_account(self):
        self.given([rule("all", 1)], role=role_policy(account="999999999999"))
        self.src.put_object(Bucket="src", Key="k", Body=b"x")
        self.assertEqual(self.settled("k"), "FAILED")
        self.assertIn("no identity policy of the role allows it", self.log.getvalue())

    def test_fails_when_the_role_may_write_only_under_another_prefix(self):
        self.given([rule("all", 1)], role=role_policy(destination_objects="arn:aws:s3:::dst/logs/*"))
        self.src.put_object(Bucket="src", Key="logs/k", Body=b"x")
        self.src.put_object(Bucket="src", Key="k", Body=b"x")
        self.assertEqual(self.settled("logs/k"), "COMPLETED")
        self.assertEqual(self.settled("k"), "FAILED")

    def test_fails_into_a_destination_whose_versioning_is_suspended(self):
        self.given([rule("all", 1)], destination_versioning="Suspended")
        self.src.put_object(Bucket="src", Key="k", Body=b"x")
        self.assertEqual(self.settled("k"), "FAILED")
        self.assertIn("DstBucketUnversioned", self.log.getvalue())

    def test_fails_when_s3_may_not_assume_the_role(self):
        self.given([rule("all", 1)])
        other = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
        self.iam.update_assume_role_policy(RoleName="s3-replication-src", PolicyDocument=json.dumps(other))
        self.src.put_object(Bucket="src", Key="k", Body=b"x")
        self.assertEqual(self.settled("k"), "FAILED")

    def test_tags_stay_behind_when_the_destination_refuses_them(self):
        self.given([rule("all", 1)], policy=bucket_policy(actions=("s3:ReplicateObject",)))
        self.src.put_object(Bucket="src", Key="k", Body=b"x", Tagging="team=a")
        self.assertEqual(self.settled("k"), "COMPLETED")
        self.assertEqual(self.dst.get_object_tagging(Bucket="dst", Key="k")["TagSet"], [])


class Owners(ReplicationCase):
    def owners(self, key):
        replica = self.dst.get_object_acl(Bucket="dst", Key=key)["Owner"]["ID"]
        bucket = self.dst.get_bucket_acl(Bucket="dst")["Owner"]["ID"]
        source = self.src.get_bucket_acl(Bucket="src")["Owner"]["ID"]
        return replica, bucket, source

    def test_owner_override_gives_the_replica_to_the_destination_account(self):
        self.given([rule("all", 1, override=True)])
        self.src.put_object(Bucket="src", Key="k", Body=b"x")
        self.assertEqual(self.settled("k"), "COMPLETED")
        replica, bucket, source = self.owners("k")
        self.assertEqual(replica, bucket)
        self.assertNotEqual(bucket, source)

    def test_without_override_the_replica_keeps_the_source_owner_unless_the_bucket_enforces_its_own(self):
        self.given([rule("all", 1)])
        self.src.put_object(Bucket="src", Key="k", Body=b"x")
        self.assertEqual(self.settled("k"), "COMPLETED")
        replica, bucket, source = self.owners("k")
        self.assertEqual(replica, source)

    def test_bucket_owner_enforced_owns_every_replica(self):
        self.given([rule("all", 1)], ownership="BucketOwnerEnforced")
        self.src.put_object(Bucket="src", Key="k", Body=b"x")
        self.assertEqual(self.settled("k"), "COMPLETED")
        replica, bucket, _ = self.owners("k")
        self.assertEqual(replica, bucket)

    def test_owner_override_needs_its_grant_in_the_bucket_policy(self):
        self.given([rule("all", 1, override=True)], policy=bucket_policy(actions=("s3:ReplicateObject", "s3:ReplicateTags")))
        self.src.put_object(Bucket="src", Key="k", Body=b"x")
        self.assertEqual(self.settled("k"), "FAILED")
        self.assertIn("s3:ObjectOwnerOverrideToBucketOwner", self.log.getvalue())


class Kms(ReplicationCase):
    def keys(self, replica_actions=("kms:Encrypt", "kms:GenerateDataKey")):
        src_kms = CLIENTS[SOURCE, "kms"]
        dst_kms = CLIENTS[DESTINATION, "kms"]
        source_key = src_kms.create_key(
            Policy=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{SOURCE}:root"}, "Action": "kms:*", "Resource": "*"}]})
        )["KeyMetadata"]["Arn"]
        replica_key = dst_kms.create_key(
            Policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{DESTINATION}:root"}, "Action": "kms:*", "Resource": "*"},
                        {
                            "Effect": "Allow",
                            "Principal": {"AWS": ROLE},
                            "Action": list(replica_actions),
                            "Resource": "*",
                            "Condition": {
                                "StringEquals": {"kms:ViaService": f"s3.{REGION}.amazonaws.com"},
                                "StringLike": {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::dst/*"},
                            },
                        },
                    ],
                }
            )
        )["KeyMetadata"]["Arn"]
        return source_key, replica_key

    def kms_statements(self, source_key, replica_key, actions=("kms:Encrypt", "kms:GenerateDataKey")):
        via = {"StringEquals": {"kms:ViaService": f"s3.{REGION}.amazonaws.com"}}
        return [
            {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": source_key, "Condition": {**via, "StringLike": {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::src/*"}}},
            {"Effect": "Allow", "Action": list(actions), "Resource": replica_key, "Condition": {**via, "StringLike": {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::dst/*"}}},
        ]

    def put_encrypted(self, source_key):
        self.src.put_object(Bucket="src", Key="k", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=source_key)

    def test_an_sse_kms_object_is_replicated_under_the_replica_key(self):
        source_key, replica_key = self.keys()
        self.given([rule("all", 1, kms_key=replica_key)], role=role_policy(extra=self.kms_statements(source_key, replica_key)))
        self.put_encrypted(source_key)
        self.assertEqual(self.settled("k"), "COMPLETED")
        replica = self.replica("k")
        self.assertEqual((replica["ServerSideEncryption"], replica["SSEKMSKeyId"]), ("aws:kms", replica_key))

    def test_fails_without_the_roles_kms_encrypt_grant(self):
        source_key, replica_key = self.keys()
        statements = self.kms_statements(source_key, replica_key, actions=("kms:GenerateDataKey",))
        self.given([rule("all", 1, kms_key=replica_key)], role=role_policy(extra=statements))
        self.put_encrypted(source_key)
        self.assertEqual(self.settled("k"), "FAILED")
        self.assertIn("kms:Encrypt", self.log.getvalue())

    def test_fails_when_the_key_policy_does_not_let_the_role_encrypt(self):
        source_key, replica_key = self.keys(replica_actions=("kms:GenerateDataKey",))
        self.given([rule("all", 1, kms_key=replica_key)], role=role_policy(extra=self.kms_statements(source_key, replica_key)))
        self.put_encrypted(source_key)
        self.assertEqual(self.settled("k"), "FAILED")
        self.assertIn("the key policy does not allow it", self.log.getvalue())

    def test_fails_without_kms_decrypt_of_the_source_key(self):
        source_key, replica_key = self.keys()
        statements = self.kms_statements(source_key, replica_key)[1:]
        self.given([rule("all", 1, kms_key=replica_key)], role=role_policy(extra=statements))
        self.put_encrypted(source_key)
        self.assertEqual(self.settled("k"), "FAILED")
        self.assertIn("kms:Decrypt", self.log.getvalue())

    def test_sse_kms_objects_are_left_alone_by_a_rule_that_does_not_opt_in(self):
        source_key, _ = self.keys()
        self.given([rule("all", 1)])
        self.put_encrypted(source_key)
        self.assertNotIn("ReplicationStatus", self.src.head_object(Bucket="src", Key="k"))


class Organization(ReplicationCase):
    def organization_policy(self):
        return {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": "*"},
                    "Condition": {
                        "StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"},
                        "StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/s3-replication-*"},
                    },
                    "Action": ["s3:ReplicateObject", "s3:ReplicateTags"],
                    "Resource": "arn:aws:s3:::dst/AWSLogs/${aws:PrincipalAccount}/*",
                }
            ],
        }

    def test_a_member_account_replicates_under_its_own_account_prefix_only(self):
        replication.ORGANIZATIONS[SOURCE] = "o-a1b2c3d4e5"
        self.given([rule("all", 1)], policy=self.organization_policy())
        self.src.put_object(Bucket="src", Key=f"AWSLogs/{SOURCE}/k", Body=b"x")
        self.src.put_object(Bucket="src", Key=f"AWSLogs/{DESTINATION}/k", Body=b"x")
        self.assertEqual(self.settled(f"AWSLogs/{SOURCE}/k"), "COMPLETED")
        self.assertEqual(self.settled(f"AWSLogs/{DESTINATION}/k"), "FAILED")

    def test_an_account_outside_the_organization_is_refused(self):
        replication.ORGANIZATIONS[SOURCE] = "o-zzzzzzzzzz"
        self.given([rule("all", 1)], policy=self.organization_policy())
        self.src.put_object(Bucket="src", Key=f"AWSLogs/{SOURCE}/k", Body=b"x")
        self.assertEqual(self.settled(f"AWSLogs/{SOURCE}/k"), "FAILED")


class Simulator(ReplicationCase):
    def test_simulate_principal_policy_evaluates_the_roles_policies_with_the_context_given(self):
        self.given([rule("all", 1)])
        answer = self.iam.simulate_principal_policy(
            PolicySourceArn=ROLE,
            ActionNames=["s3:ReplicateObject", "s3:ReplicateDelete"],
            ResourceArns=["arn:aws:s3:::dst/k"],
            ContextEntries=[{"ContextKeyName": "s3:ResourceAccount", "ContextKeyType": "string", "ContextKeyValues": [DESTINATION]}],
        )["EvaluationResults"]
        self.assertEqual([(r["EvalActionName"], r["EvalDecision"]) for r in answer], [("s3:ReplicateObject", "allowed"), ("s3:ReplicateDelete", "implicitDeny")])
        without = self.iam.simulate_principal_policy(PolicySourceArn=ROLE, ActionNames=["s3:ReplicateObject"], ResourceArns=["arn:aws:s3:::dst/k"])
        self.assertEqual(without["EvaluationResults"][0]["EvalDecision"], "implicitDeny")


if __name__ == "__main__":
    unittest.main()
