/**
 * A StrykerJS reporter that writes each mutant's result as it is known, one JSON line each, to
 * reports/mutation/<folder>.mutants.jsonl: the survivors can be read (and a score taken) while a
 * long run goes on, or after it was stopped. Stryker's own reports are written at the end only.
 * @see https://stryker-mutator.io/docs/stryker-js/plugins/
 */
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

const file = process.env.MUTATION_LIVE_FILE;

function liveReporter() {
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, "");
  }
  return {
    onMutantTested(result) {
      if (!file) return;
      const { status, fileName, location, mutatorName, replacement, statusReason } = result;
      const line = { status, at: `${fileName}:${location.start.line}`, mutatorName, replacement };
      if (status === "Survived" || status === "NoCoverage") line.reason = statusReason;
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    },
  };
}

// The shape @stryker-mutator/api's declareFactoryPlugin returns; the factory needs no injection.
export const strykerPlugins = [{ kind: "Reporter", name: "live", factory: liveReporter }];
