/**
 * `npm run fuzz [-- --runs N --seed S]`: runs the config fuzzer (config-fuzz.ts) and prints its
 * counts and what the reference (reference.ts) compared; then checks the template escaping against
 * the real Terraform binary, when there is one. Exits 1 on any finding, and when the loader
 * accepted less than MIN_ACCEPTED_SHARE of the inputs. Findings are written to fuzz-findings.txt
 * in the temp directory.
 */
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { acceptedShareProblem, fuzzCases, hostileText, runCase } from "./config-fuzz";
import { hasTerraform, terraformRoundTrip } from "./terraform-round-trip";

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const runs = option("runs", 20_000);
const seed = option("seed", 20_261_202);
const batch = 500;
const counts = { run: 0, accepted: 0, rejected: 0, crashes: 0, stackTraces: 0, hangs: 0, oracle: 0 };
const findings: string[] = [];
const coverage: Record<string, number> = {};
let slowest = 0;
const start = performance.now();
for (let b = 0; counts.run < runs; b++) {
  for (const fuzzCase of fc.sample(fuzzCases(), { numRuns: Math.min(batch, runs - counts.run), seed: seed + b })) {
    const result = runCase(fuzzCase.bytes);
    counts.run++;
    slowest = Math.max(slowest, result.millis);
    for (const [feature, n] of Object.entries(result.coverage ?? {})) coverage[feature] = (coverage[feature] ?? 0) + n;
    if (result.outcome === "crash") counts.crashes++;
    else if (result.outcome === "accepted") counts.accepted++;
    else counts.rejected++;
    for (const finding of result.findings) {
      if (finding.startsWith("stack trace")) counts.stackTraces++;
      else if (finding.startsWith("took ")) counts.hangs++;
      else if (result.outcome !== "crash") counts.oracle++;
    }
    if (result.findings.length > 0) {
      findings.push(
        `--- ${fuzzCase.origin} case ${counts.run}:\n${result.findings.join("\n")}\n${fuzzCase.bytes.toString("utf8").slice(0, 4000)}`,
      );
    }
  }
  process.stderr.write(`\r${counts.run}/${runs} configs`);
}
const seconds = (performance.now() - start) / 1000;
process.stderr.write("\n");
console.log(`configs run:       ${counts.run} (seed ${seed})`);
console.log(`accepted:          ${counts.accepted}`);
console.log(`rejected:          ${counts.rejected}`);
console.log(`crashes:           ${counts.crashes}`);
console.log(`stack traces:      ${counts.stackTraces}`);
console.log(`hangs over 5 s:    ${counts.hangs}`);
console.log(`oracle findings:   ${counts.oracle}`);
console.log(`slowest config:    ${Math.round(slowest)} ms`);
console.log("compared with the reference:");
for (const [feature, n] of Object.entries(coverage).sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`  ${feature.padEnd(36)} ${n}`);
}
console.log(`time:              ${seconds.toFixed(1)} s`);
const shortfall = acceptedShareProblem(counts.accepted, counts.run);
if (shortfall) console.log(`too few accepted: ${shortfall}`);
let failed = counts.crashes + counts.stackTraces + counts.hangs + counts.oracle > 0 || shortfall !== undefined;
if (hasTerraform()) {
  // NFC: the loader refuses other text, because Terraform normalizes every string to NFC.
  const inputs = fc.sample(hostileText, { numRuns: 2_000, seed }).map((t) => t.normalize("NFC"));
  const roundTrip = terraformRoundTrip(inputs);
  console.log(`terraform round trip: ${roundTrip.strings} strings, ${roundTrip.mismatches.length} changed`);
  for (const m of roundTrip.mismatches.slice(0, 5)) findings.push(`terraform changed ${JSON.stringify(m)}`);
  failed ||= roundTrip.mismatches.length > 0;
} else {
  console.log("terraform round trip: skipped (no terraform on PATH)");
}
if (findings.length > 0) {
  const file = join(tmpdir(), "fuzz-findings.txt");
  writeFileSync(file, findings.join("\n\n"));
  console.log(`findings:          ${file}`);
}
process.exitCode = failed ? 1 : 0;
