/**
 * StrykerJS for one folder at a time (MUTATION_FOLDER names it; `npm run test:mutation` sets it):
 * the code it mutates, and the tests that judge it (folders.json). Coverage is per test, so a
 * mutant runs only the tests that reach it; but Jest cannot stop at the first failure when Stryker
 * drives it, and every test file of the set is loaded for every mutant, so each set is the focused
 * suite of its area, not the whole of `npm test`. A test that synthesizes in a describe block
 * (outside any test) makes every line it reaches a "static" mutant, run against every test of the
 * set: the sets avoid such files. Mutants no test reaches count as survivors; a score under
 * `break` fails the run.
 * @see https://stryker-mutator.io/docs/stryker-js/configuration/
 * @see https://stryker-mutator.io/docs/mutation-testing-elements/static-mutants/
 */
import { readFileSync } from "node:fs";

/** Per folder: the code Stryker mutates, and the test files that judge it (the tests of its area). */
const FOLDERS = JSON.parse(readFileSync(new URL("./folders.json", import.meta.url), "utf8"));

const name = process.env.MUTATION_FOLDER;
const folder = FOLDERS[name];
if (!folder) throw new Error(`MUTATION_FOLDER must be one of ${Object.keys(FOLDERS).join(", ")}; got ${name}`);
// MUTATION_STAGE=first: the folder's quick, decisive tests alone. What they kill stays killed in
// the incremental report; the full set (the next run) then tests only what is left.
const testFiles = process.env.MUTATION_STAGE === "first" && folder.first ? folder.first : folder.tests;
const report = `reports/mutation/${name.replaceAll("/", "-")}`;
process.env.MUTATION_LIVE_FILE = `${report}.mutants.jsonl`;

export default {
  testRunner: "jest",
  plugins: ["@stryker-mutator/jest-runner", "./__tests__/mutation/live-reporter.mjs"],
  mutate: folder.mutate,
  jest: {
    configFile: "jest.config.js",
    // Jest's related-test search sees only `roots` (__tests__), so it would find only the test
    // files that import a mutated file directly; the sets are focused instead.
    enableFindRelatedTests: false,
    config: { testMatch: testFiles.map((glob) => `<rootDir>/${glob}`) },
  },
  coverageAnalysis: "perTest",
  // A later run tests again only the mutants whose code or covering tests changed (`-- --force`: all).
  incremental: true,
  incrementalFile: `${report}.incremental.json`,
  // The machine has 2 cores shared with other work: one mutant at a time by default.
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 1),
  // A test file that synthesizes every example takes a few seconds; the default 5 s margin is too tight on 2 busy cores.
  timeoutMS: 30_000,
  // The first stage leaves mutants for the second: only the whole set's score can fail the run.
  thresholds: { high: 95, low: 85, break: process.env.MUTATION_STAGE === "first" ? null : 85 },
  reporters: ["clear-text", "progress", "html", "json", "live"],
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: true, reportScoreTable: true },
  htmlReporter: { fileName: `${report}.html` },
  jsonReporter: { fileName: `${report}.json` },
  tempDirName: ".stryker-tmp",
  ignorePatterns: [".cache", "reports", "cdktf.out", "coverage"],
  cleanTempDir: "always",
};
