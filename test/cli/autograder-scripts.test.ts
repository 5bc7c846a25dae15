import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DOCS_EXAMPLE, requiredFiles, runAutograderScript, setupScript } from '../../src/cli/autograder.js';

/**
 * The scripts `smtp-lab autograder` writes and the CI examples in docs/, read as text: no clone,
 * no install, no process (the `unit` project). That an installed smtp-lab builds a zip that sets
 * up and grades is test/cli/install.test.ts (`npm run test:install`).
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('autograder scripts', () => {
  it('are checked in as docs/gradescope/ exactly as the generator makes them', async () => {
    expect(await readFile(path.join(ROOT, 'docs/gradescope/run_autograder'), 'utf8')).toBe(
      runAutograderScript(DOCS_EXAMPLE),
    );
    expect(await readFile(path.join(ROOT, 'docs/gradescope/setup.sh'), 'utf8')).toBe(
      setupScript(DOCS_EXAMPLE),
    );
  });

  it('install a JDK for a Java client and never smtp-lab by name', () => {
    const java = { ...DOCS_EXAMPLE, command: ['java', 'SmtpClient.java'], require: ['SmtpClient.java'] };
    expect(setupScript(java)).toContain('command -v java >/dev/null || packages+=(default-jdk-headless)');
    expect(setupScript(java)).not.toContain('python3');
    for (const config of [java, DOCS_EXAMPLE]) {
      expect(setupScript(config)).not.toMatch(/npm install -g smtp-lab|npm i -g smtp-lab/);
      expect(setupScript(config)).toContain('"$tarball"');
    }
    expect(setupScript({ ...DOCS_EXAMPLE, sandbox: false })).not.toContain('bubblewrap');
  });

  it('CI examples install smtp-lab from a tarball, grade in shards, sandboxed, and merge', async () => {
    const gh = parse(await readFile(path.join(ROOT, 'docs/ci/grade-submissions.yml'), 'utf8'));
    const gl = parse(await readFile(path.join(ROOT, 'docs/ci/gitlab-ci.yml'), 'utf8'));
    const text = JSON.stringify([gh, gl]);
    expect(text).not.toMatch(/npm (install|i) -g smtp-lab/);
    expect(text).toContain('npm install -g \\"$SMTP_LAB_TARBALL\\"');
    expect(Number(gh.env.SHARDS)).toBeLessThanOrEqual(256);
    expect(gh.jobs.grade.strategy.matrix.shard).toBe('${{ fromJSON(needs.plan.outputs.shards) }}');
    expect(JSON.stringify(gh.jobs.grade.steps)).toContain('--shard \\"$SHARD/$SHARDS\\" $SANDBOX');
    expect(gh.env.SANDBOX).toBe('--sandbox');
    expect(JSON.stringify(gh.jobs.merge.steps)).toContain('smtp-lab merge --out grades shards/shard-*');
    expect(gl.grade.parallel).toBeGreaterThan(1);
    expect(gl.grade.script.join('\n')).toContain('--shard "$CI_NODE_INDEX/$CI_NODE_TOTAL" $SANDBOX');
    expect(gl.merge.script[0]).toBe('smtp-lab merge --out grades shards/shard-*');
  });

  it('name a scenario file by its place in the zip and pass --lang on as SMTP_LAB_LANG', () => {
    const script = runAutograderScript({
      ...DOCS_EXAMPLE,
      scenarios: ['basic', 'scenarios/our-lab.yaml'],
      lang: 'zh-CN',
      sandbox: false,
    });
    expect(script).toContain('SCENARIOS=(basic "$SOURCE/scenarios/our-lab.yaml")');
    expect(script).toContain('export SMTP_LAB_LANG=zh-CN');
    expect(script).toContain('SANDBOX=no');
  });

  it('require the files the command names', () => {
    expect(requiredFiles(['python3', 'smtp_client.py'])).toEqual(['smtp_client.py']);
    expect(requiredFiles(['java', '-cp', 'lib/mail.jar', 'SmtpClient.java'])).toEqual([
      'lib/mail.jar',
      'SmtpClient.java',
    ]);
    expect(requiredFiles(['python3', '-u', 'client.py', '{host}', '{port}'])).toEqual(['client.py']);
  });
});
