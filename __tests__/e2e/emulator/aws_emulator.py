"""
moto's server with the AWS behaviours the end-to-end test relies on put back.

moto 5.2.1 differs from AWS in ways that would make the test prove the emulator instead of the
stacks. These patches, each with its source; nothing else is changed:

1. GetBucketReplication answers what was put (moto rewrites every rule's filter and drops
   delete-marker and selection settings, a perpetual diff in Terraform).
2. Versioning cannot be suspended on a bucket with Object Lock (moto lets it happen).
3. A policy statement applies only when its Condition holds, evaluated by iam_conditions.py as IAM
   does (moto evaluates StringEquals alone and turns a statement with any other unmet operator into
   a deny). An operator iam_conditions.py does not implement fails the request with HTTP 500 and
   prints a line starting with UNSUPPORTED_CONDITION_MARKER, which fails the end-to-end run.
4. Not an AWS behaviour: a fixture hook that gives a created KMS key the id the config names
   (moto's `_custom_id_` tag convention), so doctor can read an "existing" key's policy.
5. Replication of new objects (replication.py): after a PutObject on a bucket with a replication
   configuration, the object is PENDING, then copied into each destination with the replication
   role's permissions as IAM evaluates them (iam_evaluation.py), and COMPLETED or FAILED.
6. HeadObject and GetObject answer x-amz-replication-status (PENDING, COMPLETED, FAILED, REPLICA).
7. GetObjectAcl and GetBucketAcl name the owning account's canonical user (moto names one owner
   for every account), so an owner override can be seen.
8. iam:SimulatePrincipalPolicy (moto answers HTTP 500): the principal's identity policies and
   permissions boundary against the actions, resources and context entries asked, evaluated by
   iam_evaluation.py.
9. Not an AWS behaviour: a fixture hook, POST /e2e-fixture/organization with {"accountId":
   "organizationId"}, that says which accounts are members of which organization (the ids the
   configs name cannot be created in moto), for aws:PrincipalOrgID in replication's requests.
10. S3 Control ListJobs answers the account's Batch Operations jobs: none, since the emulator runs
   no jobs (moto routes no /v20180820/jobs path; DescribeJob stays unrouted, as before).

Run: python3 aws_emulator.py -H 127.0.0.1 -p PORT
"""

import json
import os
import sys

import xmltodict
from moto import server
from moto.core.responses import ActionResult
from moto.iam.access_control import IAMPolicyStatement, PermissionResult
from moto.iam.responses import IamResponse
from moto.kms.models import KmsBackend
from moto.moto_server.werkzeug_app import DomainDispatcherApplication
from moto.s3.exceptions import InvalidBucketState, ReplicationConfigurationNotFoundError
from moto.s3.models import FakeKey, S3Backend
from moto.s3.responses import S3Response
from moto.s3control import urls as s3control_urls
from moto.s3control.responses import S3ControlResponse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import replication  # noqa: E402
from iam_conditions import UnsupportedConditionOperator, condition_met  # noqa: E402
from iam_evaluation import Request, decide  # noqa: E402

# What the end-to-end test looks for in the emulator's output (emulator.ts).
UNSUPPORTED_CONDITION_MARKER = "aws_emulator: UNSUPPORTED CONDITION OPERATOR"


def get_bucket_replication(self):
    """
    AWS returns the replication configuration as it was put: every rule's Filter, Priority,
    DeleteMarkerReplication, SourceSelectionCriteria and Destination. moto answers every rule with
    `Filter {Prefix: ""}` and `DeleteMarkerReplication Disabled` and drops SourceSelectionCriteria,
    which shows as a perpetual diff in Terraform.
    https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketReplication.html
    """
    self.data["Action"] = "GetBucketReplication"
    replication = self.backend.get_bucket_replication(self.bucket_name)
    if not replication:
        raise ReplicationConfigurationNotFoundError(bucket_name=self.bucket_name)
    body = xmltodict.unparse({"ReplicationConfiguration": replication})
    return 200, {"Content-Type": "application/xml"}, body


OBJECT_LOCK_VERSIONING = (
    "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed."
)
_put_bucket_versioning = S3Backend.put_bucket_versioning


def put_bucket_versioning(self, bucket_name, status):
    """
    AWS refuses to suspend versioning on a bucket with Object Lock (409 InvalidBucketState);
    moto lets it happen. The AWS provider relies on that answer when it destroys
    aws_s3_bucket_versioning on such a bucket: it leaves versioning Enabled and drops the resource.
    https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html ("you can't disable
    Object Lock or suspend versioning for the bucket")
    """
    if self.get_bucket(bucket_name).object_lock_enabled and status != "Enabled":
        error = InvalidBucketState(OBJECT_LOCK_VERSIONING)
        raise error
    return _put_bucket_versioning(self, bucket_name, status)


_is_action_permitted = IAMPolicyStatement.is_action_permitted

# Every request of the test stands for a request to AWS, which the SDKs and Terraform make over TLS.
REQUEST_CONTEXT = {"aws:SecureTransport": "true"}


def is_action_permitted(self, action, resource="*", principal=None, incoming_condition_values=None):
    """
    In AWS a statement applies only when its Condition matches the request. moto 5.2.1 evaluates
    StringEquals alone and treats every other operator, and every key it was not given, as
    matching: a bucket's TLS-only statement (Deny when aws:SecureTransport is false) then denies
    every object call. Conditions are evaluated here (iam_conditions.py) against what a TLS request
    to AWS carries; moto passes no other request context to bucket policies.
    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
    """
    condition = self._statement.get("Condition")
    if not condition:
        return _is_action_permitted(self, action, resource, principal, incoming_condition_values)
    try:
        met = condition_met(condition, {**REQUEST_CONTEXT, **(incoming_condition_values or {})})
    except UnsupportedConditionOperator as error:
        print(f"{UNSUPPORTED_CONDITION_MARKER} {error.operator}: {error}", file=sys.stderr, flush=True)
        raise
    if not met:
        return PermissionResult.NEUTRAL
    unconditional = IAMPolicyStatement({k: v for k, v in self._statement.items() if k != "Condition"})
    return _is_action_permitted(unconditional, action, resource, principal, incoming_condition_values)


_create_key = KmsBackend.create_key


def create_key(self, policy, key_usage, key_spec, description, tags, *args, **kwargs):
    """
    Not an AWS behaviour: a fixture hook in moto's own convention (the `_custom_id_` tag its id
    generator honours for other services). A config names an existing key by its ARN; the test
    creates that key with the same id, so doctor can read its policy.
    """
    custom = next((t["TagValue"] for t in tags or [] if t.get("TagKey") == "_custom_id_"), None)
    rest = [t for t in tags or [] if t.get("TagKey") != "_custom_id_"]
    key = _create_key(self, policy, key_usage, key_spec, description, rest, *args, **kwargs)
    if custom:
        self.tagger.delete_all_tags_for_resource(key.id)
        del self.keys[key.id]
        key.id = custom
        key.arn = key.arn.rsplit("/", 1)[0] + "/" + custom
        self.keys[custom] = key
        if rest:
            self.tagger.tag_resource(custom, rest)
    return key


_put_object = S3Response.put_object


def put_object(self):
    """
    After S3 stored a new object (with its tags and ACL), replication starts (replication.py);
    the answer to the PutObject itself is unchanged.
    https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-status.html
    """
    answer = _put_object(self)
    if answer[0] == 200:
        replication.object_created(self.backend, self.bucket_name, self.parse_key_name())
    return answer


_response_dict = FakeKey.response_dict


def response_dict(self):
    """
    HeadObject and GetObject return x-amz-replication-status for a source object of replication
    (PENDING, COMPLETED, FAILED) and for a replica (REPLICA).
    https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html#API_HeadObject_ResponseSyntax
    """
    headers = _response_dict.fget(self)
    status = getattr(self, "replication_status", None)
    if status:
        headers["x-amz-replication-status"] = status
    return headers


def _with_owner(result, account_id):
    result["Owner"] = {"ID": replication.canonical_user_id(account_id), "DisplayName": account_id}
    return result


def get_object_acl(self):
    """
    The object's owner: the account that wrote it, or, for a replica with owner override or in a
    BucketOwnerEnforced bucket, the destination account. moto names one owner for every account.
    https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-change-owner.html
    """
    response_headers = self._get_cors_headers_other()
    key, _ = self._get_key()
    if key.version_id != "null":
        response_headers["x-amz-version-id"] = key.version_id
    acl = self.backend.get_object_acl(key)
    self.data["Action"] = "GetObjectAcl"
    result = _with_owner(self._acl_to_dict(acl), replication.object_owner(key))
    status, headers, body = self.serialized(ActionResult(result))
    headers.update(response_headers)
    return status, headers, body


def get_bucket_acl(self):
    """The bucket's owner: the account that created it."""
    acl = self.backend.get_bucket_acl(self.bucket_name)
    bucket = self.backend.get_bucket(self.bucket_name)
    self.data["Action"] = "GetBucketAcl"
    return self.serialized(ActionResult(_with_owner(self._acl_to_dict(acl), bucket.account_id)))


def simulate_principal_policy(self):
    """
    IAM's policy simulator for a role or user: each action on each resource (or "*"), with the
    context entries given, against the principal's identity policies and permissions boundary;
    resource policies are not included, as in IAM unless ResourcePolicy is passed.
    https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html
    """
    source = self._get_param("PolicySourceArn")
    actions = self._get_param("ActionNames") or []
    resources = self._get_param("ResourceArns") or ["*"]
    context = {}
    for entry in self._get_param("ContextEntries") or []:
        values = entry.get("ContextKeyValues") or []
        multi = (entry.get("ContextKeyType") or "").endswith("List")
        context[entry["ContextKeyName"]] = values if multi else (values[0] if values else None)
    account = source.split(":")[4]
    name = source.split("/")[-1]
    if ":role/" in source:
        principal = self.backend.get_role(name)
        identity = list(principal.policies.values()) + [
            replication._policy_document(p) for p in principal.managed_policies.values()
        ]
        boundary_arn = principal.permissions_boundary_arn
    else:
        principal = self.backend.get_user(name)
        identity = list(principal.policies.values()) + [
            replication._policy_document(p) for p in principal.managed_policies.values()
        ]
        boundary_arn = None
    boundary = replication._policy_document(self.backend.get_policy(boundary_arn)) if boundary_arn else None
    results = []
    for action in actions:
        for resource in resources:
            request = Request(
                action,
                resource,
                {"aws:PrincipalArn": source, "aws:PrincipalAccount": account, **context},
                principal_arn=source,
                principal_account=account,
            )
            decision = decide(request, identity, boundary=boundary)
            denied = "explicitDeny" if decision.reason.startswith("explicit Deny") else "implicitDeny"
            results.append(
                {
                    "EvalActionName": action,
                    "EvalResourceName": resource,
                    "EvalDecision": "allowed" if decision.allowed else denied,
                }
            )
    return ActionResult({"EvaluationResults": results, "IsTruncated": False})


ORGANIZATION_FIXTURE_PATH = "/e2e-fixture/organization"
_dispatch = DomainDispatcherApplication.__call__


def dispatch(self, environ, start_response):
    """Not an AWS behaviour: the organization fixture hook (patch 9); every other request as moto."""
    if environ.get("PATH_INFO") == ORGANIZATION_FIXTURE_PATH and environ.get("REQUEST_METHOD") == "POST":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        replication.ORGANIZATIONS.update(json.loads(environ["wsgi.input"].read(length) or b"{}"))
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(replication.ORGANIZATIONS).encode()]
    return _dispatch(self, environ, start_response)


def list_jobs(self):
    """
    The account's Batch Operations jobs of the last 90 days: the emulator runs none.
    https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_ListJobs.html
    """
    return ActionResult({"Jobs": []})


S3Response.get_bucket_replication = get_bucket_replication
S3Backend.put_bucket_versioning = put_bucket_versioning
IAMPolicyStatement.is_action_permitted = is_action_permitted
KmsBackend.create_key = create_key
S3Response.put_object = put_object
FakeKey.response_dict = property(response_dict)
S3Response.get_object_acl = get_object_acl
S3Response.get_bucket_acl = get_bucket_acl
IamResponse.simulate_principal_policy = simulate_principal_policy
DomainDispatcherApplication.__call__ = dispatch
S3ControlResponse.list_jobs = list_jobs
s3control_urls.url_paths["{0}/v20180820/jobs$"] = S3ControlResponse.dispatch
s3control_urls.url_paths["/v20180820/jobs"] = S3ControlResponse.dispatch

if __name__ == "__main__":
    server.main(sys.argv[1:])
