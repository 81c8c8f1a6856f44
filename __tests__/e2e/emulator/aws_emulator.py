"""
moto's server with the AWS behaviours the end-to-end test relies on put back.

moto 5.2.1 differs from AWS in ways that would make the test prove the emulator instead of the
stacks. Four patches, each with its source; nothing else is changed:

1. GetBucketReplication answers what was put (moto rewrites every rule's filter and drops
   delete-marker and selection settings, a perpetual diff in Terraform).
2. Versioning cannot be suspended on a bucket with Object Lock (moto lets it happen).
3. A policy statement applies only when its Condition holds, evaluated by iam_conditions.py as IAM
   does (moto evaluates StringEquals alone and turns a statement with any other unmet operator into
   a deny). An operator iam_conditions.py does not implement fails the request with HTTP 500 and
   prints a line starting with UNSUPPORTED_CONDITION_MARKER, which fails the end-to-end run.
4. Not an AWS behaviour: a fixture hook that gives a created KMS key the id the config names
   (moto's `_custom_id_` tag convention), so doctor can read an "existing" key's policy.

Run: python3 aws_emulator.py -H 127.0.0.1 -p PORT
"""

import os
import sys

import xmltodict
from moto import server
from moto.kms.models import KmsBackend
from moto.iam.access_control import IAMPolicyStatement, PermissionResult
from moto.s3.exceptions import InvalidBucketState, ReplicationConfigurationNotFoundError
from moto.s3.models import S3Backend
from moto.s3.responses import S3Response

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from iam_conditions import UnsupportedConditionOperator, condition_met  # noqa: E402

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


S3Response.get_bucket_replication = get_bucket_replication
S3Backend.put_bucket_versioning = put_bucket_versioning
IAMPolicyStatement.is_action_permitted = is_action_permitted
KmsBackend.create_key = create_key

if __name__ == "__main__":
    server.main(sys.argv[1:])
