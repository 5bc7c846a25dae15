// Preloaded into a measured node process (node --require): reports its peak RSS (KiB) on fd 3.
// VmHWM in /proc/self/status is this program image's own high-water mark. (getrusage's maxRSS is
// not: Linux carries the forking parent's peak across exec, so a big parent inflates it.)
const fs = require('node:fs');
process.on('exit', () => {
  try {
    const status = fs.readFileSync('/proc/self/status', 'utf8');
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status);
    fs.writeSync(3, `${hwm ? hwm[1] : process.resourceUsage().maxRSS}\n`);
  } catch {
    // no fd 3 (not run by the benchmark) or no /proc
  }
});
