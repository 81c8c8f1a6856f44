"""
S3's replication of new objects, which moto 5.2.1 does not do, for the end-to-end test's canary and
`npm run verify`: an object put on a bucket with a replication configuration is copied, a moment
later, into each destination, with the replication role's permissions as IAM would evaluate them
(iam_evaluation.py), and its x-amz-replication-status goes PENDING, then COMPLETED or FAILED.

Sources (Amazon S3 User Guide and API Reference):
- rules, filters and priority: "Amazon S3 will attempt to replicate objects according to all
  replication rules. However, if there are two or more rules with the same destination bucket,
  then objects will be replicated according to the rule with the highest priority":
  https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRule.html
  https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRuleFilter.html (a prefix, a tag,
  or an And of a prefix and tags; an empty filter matches every object)
- replicas of replicas are not replicated again; SSE-KMS objects only where the rule opts in:
  https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-what-is-isnot-replicated.html
- the status: PENDING until every destination is done, COMPLETED when all succeeded, FAILED when one
  failed; the copy is REPLICA:
  https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-status.html
- what S3 does with the role, and which requests need which permission (the role's trust policy
  for s3.amazonaws.com; s3:GetReplicationConfiguration on the source bucket;
  s3:GetObjectVersionForReplication and s3:GetObjectVersionAcl on the object, plus
  s3:GetObjectVersionTagging for its tags; s3:ReplicateObject, and s3:ReplicateTags for tags, on the
  destination object, allowed by the role's policy and, across accounts, by the destination bucket
  policy): https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
- s3:ResourceAccount is the account that owns the destination bucket, for s3:ReplicateObject,
  s3:ReplicateTags and s3:ObjectOwnerOverrideToBucketOwner:
  https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
- owner override (AccessControlTranslation): s3:ObjectOwnerOverrideToBucketOwner in the role's
  policy and the destination bucket policy; the replica is owned by the destination account, as
  it is in a bucket with Object Ownership BucketOwnerEnforced:
  https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-change-owner.html
- storage class: the rule's Destination.StorageClass, else the source object's:
  https://docs.aws.amazon.com/AmazonS3/latest/API/API_Destination.html
- KMS: kms:Decrypt with the source object's key and kms:Encrypt with the replica key
  (EncryptionConfiguration.ReplicaKmsKeyID), each through S3 in that key's Region (kms:ViaService)
  and with the object's ARN as encryption context (the bucket's ARN with S3 Bucket Keys), allowed
  by the role's policy and the key policy; a replica key that does not exist or is disabled fails:
  https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
  https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context
  https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
- what fails replication (destination missing or unversioned, Object Lock missing, each permission):
  https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-failure-codes.html
- the principal's context keys (aws:PrincipalArn is the role's ARN for a role session,
  aws:PrincipalAccount its account, aws:PrincipalOrgID its organization):
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html

Only new objects written with PutObject are replicated: the canary's. Delete markers, existing
objects and metadata changes are not.
"""

import copy
import hashlib
import os
import sys
import threading

from iam_evaluation import Request, decide

# The delay between a PutObject and its replication, so that PENDING can be seen.
DELAY_SECONDS = float(os.environ.get("AWS_EMULATOR_REPLICATION_DELAY", "0.5"))

# Which organization each account belongs to: set by the fixture hook (aws_emulator.py), since the
# organization ids the configs name cannot be created in moto.
ORGANIZATIONS = {}

_LOG_PREFIX = "aws_emulator: replication"
# What the end-to-end test looks for in the emulator's output (emulator.ts): the emulator itself
# broke while replicating, so the status it left says nothing about the stacks.
REPLICATION_ERROR_MARKER = "aws_emulator: REPLICATION ERROR"


def canonical_user_id(account_id):
    """A canonical user id per account (64 hex characters, as S3's), for object and bucket owners."""
    return hashlib.sha256(f"canonical-user:{account_id}".encode()).hexdigest()


def _list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _tags_of(filter_part):
    return {t["Key"]: t.get("Value") or "" for t in _list(filter_part.get("Tag"))}


def rule_filter(rule):
    """A rule's prefix and tags: V2 Filter (Prefix, Tag or And), or V1's Prefix beside the rule."""
    if "Filter" in rule:
        filter_ = rule["Filter"] or {}
        if "And" in filter_:
            both = filter_["And"] or {}
            return both.get("Prefix") or "", _tags_of(both)
        return filter_.get("Prefix") or "", _tags_of(filter_)
    return rule.get("Prefix") or "", {}


def _enabled(element):
    return isinstance(element, dict) and element.get("Status") == "Enabled"


def rule_matches(rule, key_name, tags, sse_kms):
    if rule.get("Status") != "Enabled":
        return False
    prefix, wanted = rule_filter(rule)
    if not key_name.startswith(prefix):
        return False
    if any(tags.get(k) != v for k, v in wanted.items()):
        return False
    if sse_kms and not _enabled((rule.get("SourceSelectionCriteria") or {}).get("SseKmsEncryptedObjects")):
        return False
    return True


def rules_by_destination(configuration, key_name, tags, sse_kms):
    """For each destination bucket, the highest-priority enabled rule that matches the object."""
    chosen = {}
    for rule in _list(configuration.get("Rule")):
        if not rule_matches(rule, key_name, tags, sse_kms):
            continue
        destination = rule["Destination"]["Bucket"]
        priority = int(rule.get("Priority") or 0)
        if destination not in chosen or priority > int(chosen[destination].get("Priority") or 0):
            chosen[destination] = rule
    return list(chosen.values())


class Failed(Exception):
    """One destination's replication failed, with S3's failure code where the page has one."""

    def __init__(self, code, reason):
        super().__init__(f"{code}: {reason}")
        self.code = code


def _backends():
    from moto.iam.models import iam_backends
    from moto.kms.models import kms_backends
    from moto.s3.models import s3_backends

    return s3_backends, iam_backends, kms_backends


def _s3_endpoint(region):
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return f"s3.{region}.{suffix}"


def _policy_document(policy):
    """A managed policy's default version, as text."""
    return next(v.document for v in policy.versions if v.is_default)


class RoleSession:
    """S3 acting as the replication role: its policies, and the context IAM sees for its requests."""

    def __init__(self, role, organization):
        _, iam_backends, _ = _backends()
        iam = iam_backends[role.account_id][role.partition]
        self.arn = role.arn
        self.account = role.account_id
        self.identity = list(role.policies.values()) + [_policy_document(p) for p in role.managed_policies.values()]
        boundary = role.permissions_boundary_arn
        self.boundary = _policy_document(iam.get_policy(boundary)) if boundary else None
        self.context = {
            "aws:PrincipalArn": role.arn,
            "aws:PrincipalAccount": role.account_id,
            "aws:PrincipalType": "AssumedRole",
            "aws:SecureTransport": "true",
        }
        if organization:
            self.context["aws:PrincipalOrgID"] = organization

    def check(self, action, resource, code, resource_policy=None, resource_account=None, context=None, kms=False):
        request = Request(
            action,
            resource,
            {**self.context, **(context or {})},
            principal_arn=self.arn,
            principal_account=self.account,
        )
        decision = decide(
            request,
            self.identity,
            resource_policy=resource_policy,
            resource_account=resource_account,
            boundary=self.boundary,
            kms=kms,
        )
        if not decision.allowed:
            raise Failed(code, f"{action} on {resource} denied to {self.arn}: {decision.reason}")

    def allowed(self, *args, **kwargs):
        try:
            self.check(*args, **kwargs)
            return True
        except Failed:
            return False


def _bucket_policy(bucket):
    return bucket.policy.decode() if bucket.policy else None


def _key(key_id, account, region):
    """A KMS key by id, ARN, alias or alias ARN, in the account and Region its ARN names (else the given)."""
    _, _, kms_backends = _backends()
    if key_id.startswith("arn:"):
        parts = key_id.split(":")
        region, account = parts[3], parts[4]
    backend = kms_backends[account][region]
    try:
        return backend.describe_key(key_id)
    except Exception:
        return None


def _key_context(key, encryption_arn, region):
    return {
        "kms:ViaService": _s3_endpoint(region),
        "kms:EncryptionContext:aws:s3:arn": encryption_arn,
        "kms:ResourceAliases": list(key.aliases.keys()),
    }


def _bucket_key_enabled(bucket):
    return bool(bucket.encryption and str(bucket.encryption["Rule"].get("BucketKeyEnabled", "")).lower() == "true")


def _kms_default(bucket):
    """The destination's default SSE-KMS key, when its default encryption is SSE-KMS."""
    if not bucket.encryption:
        return None
    default = bucket.encryption["Rule"]["ApplyServerSideEncryptionByDefault"]
    return default.get("KMSMasterKeyID") if default.get("SSEAlgorithm", "").startswith("aws:kms") else None


def replicate_to(source_backend, bucket, key, rule, session):
    """Copies one object version into one rule's destination, or raises Failed."""
    s3_backends, _, _ = _backends()
    partition = bucket.partition
    source_arn = f"arn:{partition}:s3:::{bucket.name}"
    object_arn = f"{source_arn}/{key.name}"
    source_policy = _bucket_policy(bucket)
    account = bucket.account_id
    session.check("s3:GetReplicationConfiguration", source_arn, "SrcBucketReplicationConfigMissing", source_policy, account)
    session.check("s3:GetObjectVersionForReplication", object_arn, "SrcGetObjectNotPermitted", source_policy, account)
    session.check("s3:GetObjectVersionAcl", object_arn, "SrcGetAclNotPermitted", source_policy, account)
    locked = bool(key.lock_mode or key.lock_legal_status)
    if locked:
        for action in ("s3:GetObjectRetention", "s3:GetObjectLegalHold"):
            session.check(action, object_arn, "SrcGetObjectNotPermitted", source_policy, account)

    sse_kms = key.encryption == "aws:kms"
    if sse_kms:
        source_key = _key(key.kms_key_id or "", account, bucket.region_name)
        if source_key is None or source_key.key_state != "Enabled":
            raise Failed("SrcKmsKeyInvalidState", f"the source key {key.kms_key_id} is missing or not enabled")
        context_arn = source_arn if str(key.bucket_key_enabled).lower() == "true" else object_arn
        session.check(
            "kms:Decrypt",
            source_key.arn,
            "SrcKmsKeyInvalidState",
            source_key.policy,
            source_key.account_id,
            _key_context(source_key, context_arn, source_key.region),
            kms=True,
        )

    destination_name = rule["Destination"]["Bucket"].split(":::", 1)[1]
    owner = s3_backends.bucket_accounts.get(destination_name)
    if owner is None:
        raise Failed("DstBucketNotFound", f"no bucket {destination_name}")
    destination_backend = s3_backends[owner[1]][owner[0]]
    destination = destination_backend.get_bucket(destination_name)
    if destination.versioning_status != "Enabled":
        raise Failed("DstBucketUnversioned", f"{destination_name} has versioning {destination.versioning_status}")
    if locked and not destination.object_lock_enabled:
        raise Failed("DstBucketObjectLockConfigMissing", f"{destination_name} has no Object Lock")
    destination_arn = f"arn:{destination.partition}:s3:::{destination_name}"
    replica_arn = f"{destination_arn}/{key.name}"
    write = {
        "resource_policy": _bucket_policy(destination),
        "resource_account": destination.account_id,
        "context": {"s3:ResourceAccount": destination.account_id},
    }
    session.check("s3:ReplicateObject", replica_arn, "DstPutObjectNotPermitted", **write)
    override = (rule["Destination"].get("AccessControlTranslation") or {}).get("Owner") == "Destination"
    if override:
        session.check("s3:ObjectOwnerOverrideToBucketOwner", replica_arn, "DstPutObjectNotPermitted", **write)

    encryption, kms_key_id = key.encryption, None
    replica_key = (rule["Destination"].get("EncryptionConfiguration") or {}).get("ReplicaKmsKeyID")
    destination_default = _kms_default(destination)
    if sse_kms or (destination_default and not key.encryption):
        key_id = replica_key if sse_kms else destination_default
        if not key_id:
            raise Failed("DstKmsKeyNotFound", "the rule replicates SSE-KMS objects and names no replica key")
        target = _key(key_id, destination.account_id, destination.region_name)
        if target is None:
            raise Failed("DstKmsKeyNotFound", f"no key {key_id}")
        if target.key_state != "Enabled":
            raise Failed("DstKmsKeyInvalidState", f"the key {target.arn} is {target.key_state}")
        bucket_key = _bucket_key_enabled(destination)
        kms_context = _key_context(target, destination_arn if bucket_key else replica_arn, target.region)
        # Replicas of SSE-KMS objects: kms:Encrypt; plaintext objects into an SSE-KMS default
        # bucket: kms:GenerateDataKey; with S3 Bucket Keys S3 also decrypts with the key.
        actions = ["kms:Encrypt" if sse_kms else "kms:GenerateDataKey"] + (["kms:Decrypt"] if bucket_key else [])
        for action in actions:
            session.check(action, target.arn, "DstKmsKeyInvalidState", target.policy, target.account_id, kms_context, kms=True)
        encryption, kms_key_id = "aws:kms", target.arn

    tags = source_backend.tagger.get_tag_dict_for_resource(key.arn)
    copy_tags = bool(tags) and (
        session.allowed("s3:GetObjectVersionTagging", object_arn, None, source_policy, account)
        and session.allowed("s3:ReplicateTags", replica_arn, None, **write)
    )

    replica = destination_backend.put_object(
        destination_name,
        key.name,
        key.value,
        storage=rule["Destination"].get("StorageClass") or key.storage_class,
        encryption=encryption,
        kms_key_id=kms_key_id,
        lock_mode=key.lock_mode,
        lock_legal_status=key.lock_legal_status,
        lock_until=key.lock_until,
        disable_notification=True,
    )
    # A replica keeps the source version's id.
    replica._version_id = key.version_id
    replica.set_metadata(copy.deepcopy(dict(key.metadata)))
    replica.replication_status = "REPLICA"
    ownership = destination.ownership_rule
    # moto keeps what CreateBucket set as text, what PutBucketOwnershipControls set as a rule.
    enforced = (ownership if isinstance(ownership, str) else (ownership or {}).get("ObjectOwnership")) == (
        "BucketOwnerEnforced"
    )
    replica.owner_account = destination.account_id if override or enforced else object_owner(key)
    if copy_tags:
        destination_backend.tagger.tag_resource(replica.arn, [{"Key": k, "Value": v} for k, v in tags.items()])


def object_owner(key):
    return getattr(key, "owner_account", None) or key.account_id


def replicate(source_backend, bucket, key, rules):
    """Replicates one object version to each rule's destination, then sets its status."""
    from moto.iam.models import iam_backends

    configuration = bucket.replication
    failures = []
    session = None
    try:
        role_arn = configuration["Role"]
        role_account = role_arn.split(":")[4]
        role = iam_backends[role_account][bucket.partition].get_role_by_arn(role_arn)
        trust = decide(
            Request(
                "sts:AssumeRole",
                role_arn,
                {"aws:SourceAccount": bucket.account_id, "aws:SourceArn": f"arn:{bucket.partition}:s3:::{bucket.name}"},
                service="s3.amazonaws.com",
            ),
            [],
            resource_policy=role.assume_role_policy_document,
        )
        if not trust.allowed:
            raise Failed("AssumeRoleNotPermitted", f"S3 cannot assume {role_arn}: {trust.reason}")
        session = RoleSession(role, ORGANIZATIONS.get(role.account_id))
    except Failed as failed:
        failures.append(str(failed))
    except Exception as error:
        failures.append(f"AssumeRoleNotPermitted: the role {configuration.get('Role')} cannot be used: {error}")
    if session:
        for rule in rules:
            try:
                replicate_to(source_backend, bucket, key, rule, session)
            except Failed as failed:
                failures.append(f"rule {rule.get('ID')}: {failed}")
            except Exception as error:  # noqa: BLE001  (a fault of the emulator, reported as one)
                print(f"{REPLICATION_ERROR_MARKER} s3://{bucket.name}/{key.name}: {error!r}", file=sys.stderr, flush=True)
                failures.append(f"rule {rule.get('ID')}: emulator error {error!r}")
    key.replication_status = "FAILED" if failures else "COMPLETED"
    for failure in failures:
        print(f"{_LOG_PREFIX} FAILED s3://{bucket.name}/{key.name}: {failure}", file=sys.stderr, flush=True)


def object_created(source_backend, bucket_name, key_name):
    """Called after a PutObject: marks the new version PENDING and replicates it a moment later."""
    bucket = source_backend.get_bucket(bucket_name)
    configuration = getattr(bucket, "replication", None)
    if not configuration:
        return
    key = bucket.keys.getlist(key_name, [None])[-1]
    if key is None or getattr(key, "replication_status", None) == "REPLICA":
        return
    tags = source_backend.tagger.get_tag_dict_for_resource(key.arn)
    rules = rules_by_destination(configuration, key.name, tags, key.encryption == "aws:kms")
    if not rules:
        return
    key.replication_status = "PENDING"
    timer = threading.Timer(DELAY_SECONDS, replicate, args=(source_backend, bucket, key, rules))
    timer.daemon = True
    timer.start()
