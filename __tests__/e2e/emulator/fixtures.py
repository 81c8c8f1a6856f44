"""
What the end-to-end test does to the emulator outside Terraform, with boto3 (installed with moto):

  accounts  make one emulator account per AWS account: an IAM user and access key created
            through STS AssumeRole into that account (moto gives a key the account of the user
            that created it)
  seed      create what the config expects to exist: buckets (Object Lock, ownership, a seed
            object, a destination bucket's pre-existing policy), KMS keys, roles to assume
  snapshot  read back everything an account holds, with that account's own credentials

Usage: python3 fixtures.py COMMAND ENDPOINT < input.json > output.json
"""

import hashlib
import json
import sys

import boto3
from botocore.exceptions import ClientError


def client(endpoint, service, credentials, region):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=credentials["accessKeyId"],
        aws_secret_access_key=credentials["secretAccessKey"],
    )


def accounts(endpoint, spec):
    sts = boto3.client(
        "sts", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="e2e", aws_secret_access_key="e2e"
    )
    keys = {}
    for account in spec["accounts"]:
        assumed = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/e2e-bootstrap", RoleSessionName="e2e")
        c = assumed["Credentials"]
        iam = boto3.client(
            "iam",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id=c["AccessKeyId"],
            aws_secret_access_key=c["SecretAccessKey"],
            aws_session_token=c["SessionToken"],
        )
        iam.create_user(UserName="e2e-operator")
        key = iam.create_access_key(UserName="e2e-operator")["AccessKey"]
        keys[account] = {"accessKeyId": key["AccessKeyId"], "secretAccessKey": key["SecretAccessKey"]}
    return keys


def seed(endpoint, spec):
    creds = spec["credentials"]
    for b in spec.get("buckets", []):
        s3 = client(endpoint, "s3", creds[b["account"]], b["region"])
        args = {"Bucket": b["bucket"]}
        if b["region"] != "us-east-1":
            args["CreateBucketConfiguration"] = {"LocationConstraint": b["region"]}
        if b.get("objectLock"):
            args["ObjectLockEnabledForBucket"] = True
        if b.get("objectOwnership"):
            args["ObjectOwnership"] = b["objectOwnership"]
        s3.create_bucket(**args)
        for key, body in b.get("objects", {}).items():
            s3.put_object(Bucket=b["bucket"], Key=key, Body=body.encode())
        if b.get("policy"):
            s3.put_bucket_policy(Bucket=b["bucket"], Policy=b["policy"])
    for k in spec.get("keys", []):
        kms = client(endpoint, "kms", creds[k["account"]], k["region"])
        kms.create_key(Policy=k["policy"], Tags=[{"TagKey": "_custom_id_", "TagValue": k["keyId"]}])
    for r in spec.get("roles", []):
        iam = client(endpoint, "iam", creds[r["account"]], "us-east-1")
        iam.create_role(RoleName=r["name"], AssumeRolePolicyDocument=r["trustPolicy"])
    return {"seeded": True}


def absent(call, *codes):
    """The answer of a read, or None when AWS says the thing does not exist."""
    try:
        return call()
    except ClientError as error:
        if error.response["Error"]["Code"] in codes:
            return None
        raise


def tags_of(pairs, key="Key", value="Value"):
    return {t[key]: t[value] for t in pairs}


def bucket_snapshot(s3, name):
    policy = absent(lambda: s3.get_bucket_policy(Bucket=name)["Policy"], "NoSuchBucketPolicy")
    replication = absent(
        lambda: s3.get_bucket_replication(Bucket=name)["ReplicationConfiguration"],
        "ReplicationConfigurationNotFoundError",
    )
    ownership = absent(
        lambda: s3.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]["Rules"][0]["ObjectOwnership"],
        "OwnershipControlsNotFoundError",
    )
    public_access = absent(
        lambda: s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"],
        "NoSuchPublicAccessBlockConfiguration",
    )
    encryption = absent(
        lambda: s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"],
        "ServerSideEncryptionConfigurationNotFoundError",
    )
    lock = absent(
        lambda: s3.get_object_lock_configuration(Bucket=name)["ObjectLockConfiguration"]["ObjectLockEnabled"],
        "ObjectLockConfigurationNotFoundError",
    )
    tags = absent(lambda: tags_of(s3.get_bucket_tagging(Bucket=name)["TagSet"]), "NoSuchTagSet")
    objects = {}
    for version in s3.list_object_versions(Bucket=name).get("Versions", []):
        if version["IsLatest"]:
            body = s3.get_object(Bucket=name, Key=version["Key"])["Body"].read()
            objects[version["Key"]] = hashlib.sha256(body).hexdigest()
    return {
        "name": name,
        "region": s3.get_bucket_location(Bucket=name).get("LocationConstraint") or "us-east-1",
        "versioning": s3.get_bucket_versioning(Bucket=name).get("Status"),
        "policy": json.loads(policy) if policy else None,
        "replication": replication,
        "ownership": ownership,
        "publicAccessBlock": public_access,
        "encryption": encryption,
        "objectLock": lock == "Enabled",
        "tags": tags,
        "objects": objects,
    }


def snapshot(endpoint, spec):
    result = {}
    for account, entry in spec["accounts"].items():
        creds = entry["credentials"]
        regions = entry["regions"]
        s3 = client(endpoint, "s3", creds, "us-east-1")
        iam = client(endpoint, "iam", creds, "us-east-1")
        roles = []
        for role in iam.list_roles()["Roles"]:
            names = iam.list_role_policies(RoleName=role["RoleName"])["PolicyNames"]
            inline = {
                n: iam.get_role_policy(RoleName=role["RoleName"], PolicyName=n)["PolicyDocument"] for n in names
            }
            roles.append(
                {
                    "name": role["RoleName"],
                    "path": role["Path"],
                    "arn": role["Arn"],
                    "description": role.get("Description"),
                    "permissionsBoundary": role.get("PermissionsBoundary", {}).get("PermissionsBoundaryArn"),
                    "trustPolicy": role["AssumeRolePolicyDocument"],
                    "inlinePolicies": inline,
                    "tags": tags_of(iam.list_role_tags(RoleName=role["RoleName"])["Tags"]),
                }
            )
        buckets = []
        for b in s3.list_buckets()["Buckets"]:
            region = s3.get_bucket_location(Bucket=b["Name"]).get("LocationConstraint") or "us-east-1"
            buckets.append(bucket_snapshot(client(endpoint, "s3", creds, region), b["Name"]))
        keys, aliases, topics, alarms = [], [], [], []
        for region in regions:
            kms = client(endpoint, "kms", creds, region)
            for k in kms.list_keys()["Keys"]:
                meta = kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]
                keys.append(
                    {
                        "arn": meta["Arn"],
                        "region": region,
                        "state": meta["KeyState"],
                        "description": meta.get("Description", ""),
                        "tags": tags_of(kms.list_resource_tags(KeyId=k["KeyId"])["Tags"], "TagKey", "TagValue"),
                        "rotation": kms.get_key_rotation_status(KeyId=k["KeyId"])["KeyRotationEnabled"],
                        "policy": json.loads(kms.get_key_policy(KeyId=k["KeyId"], PolicyName="default")["Policy"]),
                    }
                )
            for a in kms.list_aliases()["Aliases"]:
                if not a["AliasName"].startswith("alias/aws/"):
                    aliases.append({"name": a["AliasName"], "region": region, "targetKeyId": a.get("TargetKeyId")})
            sns = client(endpoint, "sns", creds, region)
            for t in sns.list_topics()["Topics"]:
                subscriptions = sns.list_subscriptions_by_topic(TopicArn=t["TopicArn"])["Subscriptions"]
                topics.append(
                    {
                        "arn": t["TopicArn"],
                        "region": region,
                        "tags": tags_of(sns.list_tags_for_resource(ResourceArn=t["TopicArn"])["Tags"]),
                        "subscriptions": [{"protocol": s["Protocol"], "endpoint": s["Endpoint"]} for s in subscriptions],
                    }
                )
            cloudwatch = client(endpoint, "cloudwatch", creds, region)
            for alarm in cloudwatch.describe_alarms()["MetricAlarms"]:
                # Every field DescribeAlarms gives for a metric alarm, so read-back sees whatever a stack sets.
                alarms.append(
                    {
                        "name": alarm["AlarmName"],
                        "region": region,
                        "description": alarm.get("AlarmDescription"),
                        "namespace": alarm["Namespace"],
                        "metricName": alarm["MetricName"],
                        "dimensions": {d["Name"]: d["Value"] for d in alarm.get("Dimensions", [])},
                        "statistic": alarm.get("Statistic"),
                        "extendedStatistic": alarm.get("ExtendedStatistic"),
                        "unit": alarm.get("Unit"),
                        "period": alarm.get("Period"),
                        "evaluationPeriods": alarm.get("EvaluationPeriods"),
                        "datapointsToAlarm": alarm.get("DatapointsToAlarm"),
                        "threshold": alarm["Threshold"],
                        "comparisonOperator": alarm["ComparisonOperator"],
                        "treatMissingData": alarm.get("TreatMissingData"),
                        "evaluateLowSampleCountPercentile": alarm.get("EvaluateLowSampleCountPercentile"),
                        "actionsEnabled": alarm.get("ActionsEnabled"),
                        "alarmActions": alarm.get("AlarmActions", []),
                        "okActions": alarm.get("OKActions", []),
                        "insufficientDataActions": alarm.get("InsufficientDataActions", []),
                        "tags": tags_of(cloudwatch.list_tags_for_resource(ResourceARN=alarm["AlarmArn"])["Tags"]),
                    }
                )
        result[account] = {
            "roles": roles,
            "buckets": buckets,
            "keys": keys,
            "aliases": aliases,
            "topics": topics,
            "alarms": alarms,
        }
    return result


COMMANDS = {"accounts": accounts, "seed": seed, "snapshot": snapshot}

if __name__ == "__main__":
    command, endpoint = sys.argv[1], sys.argv[2]
    json.dump(COMMANDS[command](endpoint, json.load(sys.stdin)), sys.stdout, default=str)
