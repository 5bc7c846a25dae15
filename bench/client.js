// Reference-client benchmark: a 25 MB attachment through STARTTLS + AUTH to the lab
// server, `smtp-lab send` against `curl --upload-file` with the very same message bytes, in
// alternating rounds on the same server; and the CLI's cold start (`smtp-lab --help`).
// Run: npm run build && node bench/client.js [--rounds N] [--size-mb N]
// Everything targets 127.0.0.1; every loop is bounded.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { startLabServer } from '../dist/server/index.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cli = path.join(root, 'bin', 'smtp-lab.js');
const reporter = path.join(root, 'bench', 'rss-reporter.cjs');
const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const rounds = arg('rounds', 5);
const sizeMb = arg('size-mb', 25);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs a command; resolves with wall time (ms), exit code and, for node, peak RSS (bytes). */
function timed(command, args, env = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let rss = 0;
    child.stderr.on('data', (d) => (stderr += d));
    child.stdio[3].on('data', (d) => (rss = Number(String(d).trim()) * 1024));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - started, code, rss, stderr }));
  });
}

async function main() {
  const work = await mkdtemp(path.join(os.tmpdir(), 'smtp-lab-bench-client-'));
  const attachment = path.join(work, 'attachment.bin');
  await writeFile(attachment, randomBytes(sizeMb * 1024 * 1024));
  const server = await startLabServer({ mailbox: path.join(work, 'mailbox'), maxSize: 200 * 1024 * 1024 });
  const user = server.accounts[0].user;
  const pass = server.accounts[0].pass;
  const sendArgs = [
    '--require',
    reporter,
    cli,
    'send',
    '--server',
    `127.0.0.1:${server.port}`,
    '--tls',
    'starttls',
    '--ca',
    server.caFile,
    '--user',
    user,
    '--from',
    user,
    '--to',
    'teacher@smtp-lab.test',
    '--subject',
    'bench',
    '--text',
    'a large attachment',
    '--attach',
    attachment,
  ];

  // One send first: its stored message (minus the trace header) is what curl uploads.
  const first = await timed(process.execPath, sendArgs, { SMTP_PASS: pass });
  if (first.code !== 0) throw new Error(`send failed: ${first.stderr}`);
  const listing = await readdir(server.mailbox);
  const json = listing.find((f) => f.endsWith('.json'));
  if (!json) throw new Error(`no stored message: ${listing.join(' ')}; send said: ${first.stderr}`);
  const record = JSON.parse(await readFile(path.join(server.mailbox, json), 'utf8'));
  const eml = (await readFile(path.join(server.mailbox, `${record.id}.eml`))).subarray(
    record.traceHeaderBytes,
  );
  const emlFile = path.join(work, 'message.eml');
  await writeFile(emlFile, eml);
  const curlArgs = [
    '-sS',
    `smtp://127.0.0.1:${server.port}`,
    '--ssl-reqd',
    '--cacert',
    server.caFile,
    '--user',
    `${user}:${pass}`,
    '--mail-from',
    user,
    '--mail-rcpt',
    'teacher@smtp-lab.test',
    '--upload-file',
    emlFile,
  ];
  const hasCurl = spawnSync('curl', ['--version']).status === 0;

  const send = [];
  const curl = [];
  const rss = [];
  for (let i = 0; i < rounds; i++) {
    const s = await timed(process.execPath, sendArgs, { SMTP_PASS: pass });
    if (s.code !== 0) throw new Error(`send failed: ${s.stderr}`);
    send.push(s.ms);
    rss.push(s.rss);
    if (process.env.BENCH_VERBOSE)
      console.log(`round ${i}: send ${Math.round(s.ms)} ms, rss ${(s.rss / 1048576).toFixed(1)} MB`);
    if (hasCurl) {
      const c = await timed('curl', curlArgs);
      if (c.code !== 0) throw new Error(`curl failed: ${c.stderr}`);
      curl.push(c.ms);
    }
  }
  await server.stop();

  const help = [];
  for (let i = 0; i < 20; i++) help.push((await timed(process.execPath, [cli, '--help'])).ms);

  const results = {
    machine: { cpus: os.cpus().length, node: process.version },
    attachmentMb: sizeMb,
    messageBytes: eml.length,
    rounds,
    sendMedianMs: Math.round(median(send)),
    curlMedianMs: hasCurl ? Math.round(median(curl)) : null,
    ratio: hasCurl ? Number((median(send) / median(curl)).toFixed(2)) : null,
    sendPeakRssMb: Number((Math.max(...rss) / 1048576).toFixed(1)),
    helpColdStartMedianMs: Math.round(median(help)),
  };
  console.log(`\nReference client (node bench/client.js --rounds ${rounds} --size-mb ${sizeMb})`);
  console.log(
    `  ${sizeMb} MB attachment (${(eml.length / 1048576).toFixed(1)} MB on the wire), STARTTLS + AUTH, lab server on 127.0.0.1`,
  );
  console.log(
    `  smtp-lab send     median ${results.sendMedianMs} ms   peak RSS ${results.sendPeakRssMb} MB (target < 150)`,
  );
  if (hasCurl)
    console.log(
      `  curl --upload-file median ${results.curlMedianMs} ms   ratio send/curl ${results.ratio} (target <= 1.2)`,
    );
  else console.log('  curl not found: ratio not measured');
  console.log(
    `  smtp-lab --help   median ${results.helpColdStartMedianMs} ms over 20 cold starts (target <= 150)`,
  );
  const out = process.env.BENCH_CLIENT_RESULTS ?? path.join(root, 'bench', 'client-results.json');
  await writeFile(out, JSON.stringify(results, null, 2) + '\n');
  console.log(`  results: ${out}`);
}

await main();
