// Preloaded into a benchmarked process: at exit, write its peak resident set size (KB).
const { writeFileSync } = require("node:fs");

process.on("exit", () => {
  if (process.env.BENCH_RSS_FILE) writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
