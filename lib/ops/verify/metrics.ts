/**
 * Replication metrics over a window, for each enabled rule that has them (S3 publishes them only
 * for such rules): OperationsFailedReplication (Sum: any failed operation fails the check) and
 * ReplicationLatency (Maximum: above the stack's alarm threshold, or RTC's 15 minutes, fails it).
 * Read where the stack's alarms read them: AWS/S3 in the source account and Region, by
 * SourceBucket, DestinationBucket and RuleId. No data points means nothing was replicated in the
 * window, which is healthy (AWS's advice for these alarms: treat missing data as ignore).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/metrics-dimensions.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html
 */
import { type Datapoint, GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import { type CheckResult, fail, HELP, pass } from "../../check-result";
import type { Replication, Rule } from "../../config/model";
import type { ClientsFor } from "../aws-clients";
import { checkEach } from "../doctor/doctor-context";
import { type Cell, cellOf, skipped } from "./findings";

export const FAILED_METRIC = "OperationsFailedReplication";
export const LATENCY_METRIC = "ReplicationLatency";

/** One data point per hour over windows longer than a day, else per minute (at most 1,440 per call). */
export function periodFor(windowSeconds: number): number {
  return windowSeconds > 86_400 ? 3600 : 60;
}

/** The latency above which a rule is late: the alarm's threshold, else RTC's 15 minutes, else none. */
export function latencyLimit(replication: Replication, rule: Rule): number | undefined {
  if (replication.monitoring) return replication.monitoring.latencyThresholdSeconds;
  return rule.replicationTimeMinutes ? rule.replicationTimeMinutes * 60 : undefined;
}

export interface MetricsWindow {
  readonly sinceSeconds: number;
  readonly now: Date;
}

export async function metricsOf(
  replications: readonly Replication[],
  clients: ClientsFor,
  window: MetricsWindow,
): Promise<Cell> {
  const rules = replications.flatMap((replication) =>
    replication.rules.filter((r) => r.enabled && r.metrics).map((rule) => ({ replication, rule })),
  );
  if (rules.length === 0) return skipped("off");
  const start = new Date(window.now.getTime() - window.sinceSeconds * 1000);
  const hours = Math.round(window.sinceSeconds / 360) / 10;
  const findings: CheckResult[] = await checkEach(
    rules,
    ({ replication, rule }) => ({
      stack: replication.stackName,
      rule: rule.id,
      check: "metrics",
      resource: `${replication.source.bucket} -> ${rule.destination.bucket}`,
      help: HELP.metrics,
    }),
    async ({ replication, rule }, base) => {
      const { cloudwatch } = clients(replication.source.account, replication.source.region);
      const statistic = async (metric: string, stat: "Sum" | "Maximum"): Promise<Datapoint[]> => {
        const answer = await cloudwatch.send(
          new GetMetricStatisticsCommand({
            Namespace: "AWS/S3",
            MetricName: metric,
            Dimensions: [
              { Name: "SourceBucket", Value: replication.source.bucket },
              { Name: "DestinationBucket", Value: rule.destination.bucket },
              { Name: "RuleId", Value: rule.id },
            ],
            StartTime: start,
            EndTime: window.now,
            Period: periodFor(window.sinceSeconds),
            Statistics: [stat],
          }),
        );
        return answer.Datapoints ?? [];
      };
      const failed = (await statistic(FAILED_METRIC, "Sum")).reduce((sum, d) => sum + (d.Sum ?? 0), 0);
      const latencies = (await statistic(LATENCY_METRIC, "Maximum")).map((d) => d.Maximum ?? 0);
      const latency = latencies.length > 0 ? Math.max(...latencies) : undefined;
      const limit = latencyLimit(replication, rule);
      const said = `${failed} failed operation(s), latency ${latency === undefined ? "no data" : `at most ${latency} s`}${limit ? ` (limit ${limit} s)` : ""} in the last ${hours} h`;
      const late = latency !== undefined && limit !== undefined && latency > limit;
      return failed > 0 || late ? fail({ ...base, detail: said }) : pass({ ...base, help: undefined, detail: said });
    },
  );
  return cellOf(findings, { pass: "ok" });
}
