import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { configWith, exampleConfig, resourceAt, synthStack } from "../../helpers/config";

describe("Replication Time Control and monitoring (examples/rtc-monitoring.json)", () => {
  const { text, json } = synthStack(exampleConfig("rtc-monitoring"));
  const [rule] = resourceAt(json, "aws_s3_bucket_replication_configuration.replication").rule as Array<
    Record<string, any>
  >;

  test("turns on RTC at 15 minutes, with metrics and their 15-minute event threshold", () => {
    expect(rule.destination.replication_time).toEqual({ status: "Enabled", time: { minutes: 15 } });
    expect(rule.destination.metrics).toEqual({ status: "Enabled", event_threshold: { minutes: 15 } });
  });

  test("creates an SNS topic in the source account with the email subscription", () => {
    expect(text).toHaveResourceWithProperties(SnsTopic, {
      name: "replication-acme-orders-prod-alarms",
      provider: "aws.source",
    });
    expect(text).toHaveResourceWithProperties(SnsTopicSubscription, {
      protocol: "email",
      endpoint: "storage-oncall@example.com",
      topic_arn: "${aws_sns_topic.replication_alarms.arn}",
    });
  });

  test("alarms on failed operations per rule, notifying the topic", () => {
    expect(resourceAt(json, "aws_cloudwatch_metric_alarm.failed_orders-rtc")).toMatchObject({
      provider: "aws.source",
      alarm_name: "replication-acme-orders-prod/orders-rtc/OperationsFailedReplication",
      namespace: "AWS/S3",
      metric_name: "OperationsFailedReplication",
      dimensions: { SourceBucket: "acme-orders-prod", DestinationBucket: "acme-orders-dr", RuleId: "orders-rtc" },
      statistic: "Sum",
      threshold: 0,
      comparison_operator: "GreaterThanThreshold",
      treat_missing_data: "ignore",
      alarm_actions: ["${aws_sns_topic.replication_alarms.arn}"],
      ok_actions: ["${aws_sns_topic.replication_alarms.arn}"],
      depends_on: ["aws_s3_bucket_replication_configuration.replication"],
    });
  });

  test("alarms on replication latency above the threshold", () => {
    expect(text).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      metric_name: "ReplicationLatency",
      statistic: "Maximum",
      threshold: 900,
    });
  });

  test("uses an existing topic instead of creating one", () => {
    const config = configWith((c) => {
      c.replications[0].rules[0].metrics = true;
      c.replications[0].monitoring = { snsTopicArn: "arn:aws:sns:us-east-1:111122223333:ops" };
    });
    const stack = synthStack(config).json;
    expect(stack.resource).not.toHaveProperty("aws_sns_topic");
    expect(resourceAt(stack, "aws_cloudwatch_metric_alarm.failed_CrossAccountReplicationRule").alarm_actions).toEqual([
      "arn:aws:sns:us-east-1:111122223333:ops",
    ]);
  });

  test("turns metrics on without RTC when asked, and writes no RTC block", () => {
    const config = configWith((c) => {
      c.replications[0].rules[0].metrics = true;
    });
    const [plain] = resourceAt(synthStack(config).json, "aws_s3_bucket_replication_configuration.replication")
      .rule as Array<Record<string, any>>;
    expect(plain.destination.metrics).toEqual({ status: "Enabled", event_threshold: { minutes: 15 } });
    expect(plain.destination).not.toHaveProperty("replication_time");
  });

  test("creates no alarm for a disabled rule", () => {
    const config = configWith((c) => {
      c.replications[0].rules[0].metrics = true;
      c.replications[0].rules.push({
        id: "paused",
        priority: 2,
        enabled: false,
        metrics: true,
        filter: { prefix: "tmp/" },
        destination: c.replications[0].rules[0].destination,
      });
      c.replications[0].monitoring = {};
    });
    const alarms = Object.keys(synthStack(config).json.resource.aws_cloudwatch_metric_alarm);
    expect(alarms).toEqual(["failed_CrossAccountReplicationRule", "latency_CrossAccountReplicationRule"]);
  });
});
