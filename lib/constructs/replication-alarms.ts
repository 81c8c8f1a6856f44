import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import type { TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import type { Monitoring, Replication, Rule } from "../config/model";
import type { ReplicationAddresses } from "../naming";
import { dependsOn } from "./terraform-address";

interface AlarmSpec {
  readonly kind: "failed" | "latency";
  readonly metricName: string;
  readonly statistic: string;
  readonly threshold: number;
  readonly description: string;
}

function alarmSpecs(monitoring: Monitoring): AlarmSpec[] {
  return [
    {
      kind: "failed",
      metricName: "OperationsFailedReplication",
      statistic: "Sum",
      threshold: 0,
      description: "Objects failed to replicate: see help/troubleshooting.md#replication-status-shows-failed",
    },
    {
      kind: "latency",
      metricName: "ReplicationLatency",
      statistic: "Maximum",
      threshold: monitoring.latencyThresholdSeconds,
      description: `Replication lags more than ${monitoring.latencyThresholdSeconds} s behind the source`,
    },
  ];
}

/**
 * CloudWatch alarms in the source account for every enabled rule with replication metrics:
 * failed operations and latency, notifying an SNS topic (created, with an optional email
 * subscription, unless the config names one). Alarms rather than S3 event notifications, because
 * aws_s3_bucket_notification would replace the bucket's whole notification setup.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html
 */
export function replicationAlarms(
  scope: Construct,
  replication: Replication,
  monitoring: Monitoring,
  provider: AwsProvider,
  after: TerraformResource,
  addresses: Pick<ReplicationAddresses, "alarmTopic" | "alarmEmail" | "alarm">,
): void {
  let topicArn = monitoring.snsTopicArn;
  if (!topicArn) {
    const topic = new SnsTopic(scope, "alarm_topic", { provider, name: `${replication.id}-alarms` });
    topic.overrideLogicalId(addresses.alarmTopic);
    topicArn = topic.arn;
    if (monitoring.email) {
      const subscription = new SnsTopicSubscription(scope, "alarm_email", {
        provider,
        topicArn: topic.arn,
        protocol: "email",
        endpoint: monitoring.email,
      });
      subscription.overrideLogicalId(addresses.alarmEmail);
    }
  }
  const rules = replication.rules.filter((rule: Rule) => rule.enabled && rule.metrics);
  for (const rule of rules) {
    for (const spec of alarmSpecs(monitoring)) {
      const address = addresses.alarm(spec.kind, rule.id);
      const alarm = new CloudwatchMetricAlarm(scope, `alarm_${address}`, {
        provider,
        alarmName: `${replication.id}/${rule.id}/${spec.metricName}`,
        alarmDescription: spec.description,
        namespace: "AWS/S3",
        metricName: spec.metricName,
        dimensions: {
          SourceBucket: replication.source.bucket,
          DestinationBucket: rule.destination.bucket,
          RuleId: rule.id,
        },
        statistic: spec.statistic,
        period: 300,
        evaluationPeriods: 1,
        threshold: spec.threshold,
        comparisonOperator: "GreaterThanThreshold",
        // AWS's advice for replication metrics: keep the state while no data arrives.
        treatMissingData: "ignore",
        alarmActions: [topicArn],
        okActions: [topicArn],
      });
      alarm.overrideLogicalId(address);
      dependsOn(alarm, [after]);
    }
  }
}
