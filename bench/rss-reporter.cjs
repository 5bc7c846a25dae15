// Preloaded into a measured node process (node --require): reports its peak RSS (KiB) on fd 3.
const fs = require('node:fs');
process.on('exit', () => {
  try {
    fs.writeSync(3, `${process.resourceUsage().maxRSS}\n`);
  } catch {
    // no fd 3: not run by the benchmark
  }
});
