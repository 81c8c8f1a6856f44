"""
IAM's decision on one request, for the emulator's replication (replication.py) and its
SimulatePrincipalPolicy: which statements of which policies apply, and how identity policies,
a permissions boundary and a resource policy (bucket policy, key policy, trust policy) combine.

Sources (AWS IAM User Guide and AWS KMS Developer Guide):
- the evaluation logic: an explicit Deny in any policy wins; within one account a request is
  allowed when an identity policy (inside the permissions boundary, if any) or a resource policy
  naming the principal allows it:
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
- across accounts both must allow: the principal's identity policy and the resource policy of
  the other account: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
- a resource policy that names an account (its root, or the bare account id) delegates to that
  account's identity policies; one that names the role (or "*") grants it directly:
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
- a permissions boundary limits what identity policies grant:
  https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
- KMS: "Unless the key policy explicitly allows it, you cannot use IAM policies to allow access to
  a KMS key": the key policy must allow the principal, directly or through its account (then the
  account's identity policies must allow too):
  https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
  https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
- Action, NotAction, Resource, NotResource: wildcards, actions not case-sensitive:
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
"""

import json
import re

from iam_conditions import UnresolvedVariable, condition_met, substitute, wildcard_regex


class Request:
    """
    One request as IAM sees it: who (a role, by its ARN and account, or a service principal), the
    action, the resource ARN and the request context (aws:PrincipalArn, s3:ResourceAccount, ...).
    """

    def __init__(self, action, resource, context, principal_arn=None, principal_account=None, service=None):
        self.action = action
        self.resource = resource
        self.context = context
        self.principal_arn = principal_arn
        self.principal_account = principal_account
        self.service = service


def _list(value):
    return value if isinstance(value, list) else [value]


def _split_variables(pattern, context):
    """The pattern as [text, value, text, value, ..., text], each value regex-escaped."""
    parts = []
    rest = pattern
    while "${" in rest and "}" in rest[rest.index("${") :]:
        start = rest.index("${")
        end = rest.index("}", start)
        parts.append(rest[:start])
        parts.append(substitute(rest[start : end + 1], context, escape=re.escape))
        rest = rest[end + 1 :]
    parts.append(rest)
    return parts


def _matches(pattern, value, context, ignore_case=False):
    """A Resource or Action pattern (wildcards, policy variables) against a value."""
    parts = _split_variables(pattern, context)
    regex = "".join(wildcard_regex(part) if i % 2 == 0 else part for i, part in enumerate(parts))
    return re.fullmatch(regex, value, re.DOTALL | (re.IGNORECASE if ignore_case else 0)) is not None


def _element_matches(statement, name, value, context, ignore_case=False):
    """Action/NotAction or Resource/NotResource: whether the statement covers `value`."""
    negated = f"Not{name}"
    if negated in statement:
        return not any(_matches(p, value, context, ignore_case) for p in _list(statement[negated]))
    if name not in statement:
        # A trust policy has no Resource: it is about the role it belongs to.
        return name == "Resource"
    return any(_matches(p, value, context, ignore_case) for p in _list(statement[name]))


def principal_grant(statement, request):
    """
    How a resource policy's statement names the requester: "direct" (the role, "*", the service),
    "account" (the requester's account, which then needs its own identity policy), or None.
    """
    if "NotPrincipal" in statement:
        raise NotImplementedError("NotPrincipal is not evaluated by the emulator")
    principal = statement.get("Principal")
    if principal == "*":
        return "direct"
    if not isinstance(principal, dict):
        return None
    if request.service:
        return "direct" if request.service in _list(principal.get("Service", [])) else None
    grant = None
    for name in _list(principal.get("AWS", [])):
        if name == "*" or name == request.principal_arn:
            return "direct"
        account = name if re.fullmatch(r"\d{12}", name) else None
        root = re.fullmatch(r"arn:[^:]+:iam::(\d{12}):root", name)
        if (account or (root and root.group(1))) == request.principal_account:
            grant = "account"
    return grant


def _applies(statement, request, resource_policy):
    """Whether one statement is about this request; for a resource policy, also how it names the requester."""
    try:
        if not _element_matches(statement, "Action", request.action, request.context, ignore_case=True):
            return None
        if not _element_matches(statement, "Resource", request.resource, request.context):
            return None
        grant = principal_grant(statement, request) if resource_policy else "direct"
        if grant is None:
            return None
        if "Condition" in statement and not condition_met(statement["Condition"], request.context):
            return None
        return grant
    except UnresolvedVariable:
        # "If AWS cannot resolve a variable this might cause the entire statement to be invalid."
        return None


def evaluate(policy, request, resource_policy=False):
    """
    One policy's answer: ("Deny", ...) when a Deny statement applies, ("Allow", grant) when an Allow
    does, (None, None) when none applies. `policy` is a document (dict) or its JSON text.
    """
    document = json.loads(policy) if isinstance(policy, str) else policy
    allowed = None
    for statement in _list(document.get("Statement", [])):
        grant = _applies(statement, request, resource_policy)
        if grant is None:
            continue
        if statement.get("Effect") == "Deny":
            return "Deny", statement.get("Sid")
        if allowed != "direct":
            allowed = grant
    return ("Allow", allowed) if allowed else (None, None)


class Decision:
    def __init__(self, allowed, reason):
        self.allowed = allowed
        self.reason = reason

    def __repr__(self):
        return f"Decision({self.allowed}, {self.reason!r})"


def decide(request, identity_policies, resource_policy=None, resource_account=None, boundary=None, kms=False):
    """
    IAM's decision for a request by a role: its identity policies (and boundary), and the resource
    policy of what it names, in `resource_account`. Returns a Decision with the reason in words.
    """
    identity = [evaluate(p, request) for p in identity_policies]
    bounded = evaluate(boundary, request) if boundary else ("Allow", "direct")
    resource = evaluate(resource_policy, request, resource_policy=True) if resource_policy else (None, None)
    for effect, sid in [*identity, bounded, resource]:
        if effect == "Deny":
            return Decision(False, f"explicit Deny{f' ({sid})' if sid else ''}")
    identity_allows = any(effect == "Allow" for effect, _ in identity) and bounded[0] == "Allow"
    resource_allows = resource[0] == "Allow"
    same_account = resource_account is None or resource_account == request.principal_account
    if kms:
        if not resource_allows:
            return Decision(False, "the key policy does not allow it")
        if resource[1] == "direct" and same_account:
            return Decision(True, "the key policy allows it")
        if not identity_allows:
            return Decision(False, "no identity policy of the role allows it")
        return Decision(True, "the key policy and the role's policy allow it")
    if same_account:
        if identity_allows or (resource_allows and resource[1] == "direct"):
            return Decision(True, "allowed")
        return Decision(False, "no policy allows it")
    if not identity_allows:
        return Decision(False, "no identity policy of the role allows it")
    if not resource_allows:
        return Decision(False, f"the resource policy in account {resource_account} does not allow it")
    return Decision(True, "the role's policy and the resource policy allow it")
