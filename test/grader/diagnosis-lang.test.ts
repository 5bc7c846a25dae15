import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/grader/checks.js';
import {
  applyDiagnosis,
  diagnoseRun,
  outputTail,
  type ClientEnd,
  type DiagnosisInput,
} from '../../src/grader/diagnosis.js';
import { runClient } from '../../src/grader/run.js';
import type { Lang } from '../../src/i18n/lang.js';
import { resolveScenario } from '../../src/scenarios/load.js';
import type { Scenario } from '../../src/scenarios/types.js';

/**
 * Every diagnosis kind says its sentence in zh-CN, and in English exactly as before
 * (these are the sentences the reports printed before the catalogue). The kind, what a machine
 * reads, is the same in both. Sessions and client ends are given as the grader records them;
 * the not-started case spawns a program that does not exist, for real.
 */

const HOST = 'localhost';
const PORT = 40123;
const NOTHING = `no connection reached the lab server on ${HOST}:${PORT} (the client tried to connect elsewhere or crashed first)`;
const ZH_NOTHING = `没有任何连接到达 ${HOST}:${PORT} 上的实验服务器（客户端连接到了别处，或者先崩溃了）`;
const TRACEBACK = `Traceback (most recent call last):
  File "/sub/smtp_client.py", line 3, in <module>
    s = socket.create_connection(("localhost", 2525))
ConnectionRefusedError: [Errno 111] Connection refused
`;
const CLIENT_HELLO = Buffer.from([0x16, 0x03, 0x01, 0x00, 0xc8, 0x01]);
const EHLO = Buffer.from('EHLO student\r\n');

let plain: Scenario;
let starttls: Scenario;
beforeAll(async () => {
  plain = await resolveScenario('basic');
  starttls = await resolveScenario('starttls');
});

function end(overrides: Partial<ClientEnd>): ClientEnd {
  return { exitCode: 1, signal: null, timedOut: false, stderr: '', ...overrides };
}

function diagnose(
  lang: Lang,
  client: ClientEnd,
  extra: Partial<Pick<DiagnosisInput, 'scenario' | 'sessions' | 'missing'>> = {},
) {
  return diagnoseRun({ scenario: plain, sessions: [], client, host: HOST, port: PORT, lang, ...extra });
}

/** Each case: the run, the kind, the English sentence (unchanged) and the Chinese one. */
const CASES: Array<{
  name: string;
  run: (lang: Lang) => ReturnType<typeof diagnoseRun>;
  kind: string;
  en: string;
  zh: string;
}> = [
  {
    name: 'a missing script',
    run: (lang) => diagnose(lang, end({ exitCode: 2 }), { missing: ['smtp_client.py'] }),
    kind: 'missing-file',
    en: `no such file: "smtp_client.py", so the client stopped before connecting; ${NOTHING}`,
    zh: `找不到文件："smtp_client.py"，所以客户端在连接之前就停止了；${ZH_NOTHING}`,
  },
  {
    name: 'a missing file the interpreter named',
    run: (lang) =>
      diagnose(
        lang,
        end({
          exitCode: 2,
          stderr: "python3: can't open file '/sub/client.py': [Errno 2] No such file or directory\n",
        }),
      ),
    kind: 'missing-file',
    en: `no such file: "/sub/client.py", so the client stopped before connecting; ${NOTHING}`,
    zh: `找不到文件："/sub/client.py"，所以客户端在连接之前就停止了；${ZH_NOTHING}`,
  },
  {
    name: 'a crash with a traceback',
    run: (lang) => diagnose(lang, end({ exitCode: 1, stderr: TRACEBACK })),
    kind: 'crashed-before-connecting',
    en: `${NOTHING}; it exited with status 1: ConnectionRefusedError: [Errno 111] Connection refused`,
    zh: `${ZH_NOTHING}；它以退出码 1 退出：ConnectionRefusedError: [Errno 111] Connection refused`,
  },
  {
    name: 'a crash without a traceback',
    run: (lang) => diagnose(lang, end({ exitCode: 3 })),
    kind: 'crashed-before-connecting',
    en: `${NOTHING}; it exited with status 3`,
    zh: `${ZH_NOTHING}；它以退出码 3 退出`,
  },
  {
    name: 'a kill by a signal',
    run: (lang) => diagnose(lang, end({ exitCode: null, signal: 'SIGSEGV' })),
    kind: 'crashed-before-connecting',
    en: `${NOTHING}; it was killed by SIGSEGV`,
    zh: `${ZH_NOTHING}；它被信号 SIGSEGV 终止`,
  },
  {
    name: 'a flood',
    run: (lang) =>
      diagnose(lang, end({ exitCode: null, signal: 'SIGKILL', flooded: 'printed more than 1 MiB' })),
    kind: 'crashed-before-connecting',
    en: `${NOTHING}; it was killed (printed more than 1 MiB)`,
    zh: `${ZH_NOTHING}；它被终止（printed more than 1 MiB）`,
  },
  {
    name: 'the time limit',
    run: (lang) => diagnose(lang, end({ exitCode: null, signal: 'SIGKILL', timedOut: true })),
    kind: 'no-connection',
    en: `${NOTHING}; it was killed at the time limit without ever connecting`,
    zh: `${ZH_NOTHING}；它一直没有连接，到达时间限制时被终止`,
  },
  {
    name: 'exit 0 without connecting',
    run: (lang) => diagnose(lang, end({ exitCode: 0 })),
    kind: 'no-connection',
    en: `${NOTHING}; it exited with status 0 without connecting`,
    zh: `${ZH_NOTHING}；它没有连接就以退出码 0 退出`,
  },
  {
    name: 'TLS on the plaintext port (plaintext scenario)',
    run: (lang) => diagnose(lang, end({ exitCode: 1 }), { sessions: [{ firstClientBytes: CLIENT_HELLO }] }),
    kind: 'tls-on-plaintext-port',
    en: `the client's first bytes on ${HOST}:${PORT} are a TLS handshake (ClientHello), but this port speaks plaintext first; the scenario is plaintext: connect without TLS, read the 220 greeting, then send EHLO`,
    zh: `客户端在 ${HOST}:${PORT} 上发出的第一批字节是 TLS 握手（ClientHello），但这个端口先用明文通信；本场景使用明文：不用 TLS 直接连接，读取 220 问候，然后发送 EHLO`,
  },
  {
    name: 'TLS on the plaintext port (STARTTLS scenario)',
    run: (lang) =>
      diagnose(lang, end({ exitCode: 1 }), {
        scenario: starttls,
        sessions: [{ firstClientBytes: CLIENT_HELLO }, { firstClientBytes: CLIENT_HELLO }],
      }),
    kind: 'tls-on-plaintext-port',
    en: `the client's first bytes on ${HOST}:${PORT} are a TLS handshake (ClientHello), but this port speaks plaintext first; the scenario is STARTTLS: connect in plaintext, read the 220 greeting, send EHLO, then STARTTLS, and start TLS only after its 220`,
    zh: `客户端在 ${HOST}:${PORT} 上发出的第一批字节是 TLS 握手（ClientHello），但这个端口先用明文通信；本场景使用 STARTTLS：先以明文连接，读取 220 问候，发送 EHLO，再发送 STARTTLS，收到它的 220 之后才开始 TLS 握手`,
  },
];

describe('the diagnosis in English and in zh-CN', () => {
  it.each(CASES)('$name: the same kind, each language its own sentence', ({ run, kind, en, zh }) => {
    const english = run('en');
    const chinese = run('zh-CN');
    expect(english?.kind).toBe(kind);
    expect(chinese?.kind).toBe(kind);
    expect(english?.text).toBe(en);
    expect(chinese?.text).toBe(zh);
  });

  it('a run that connected and spoke SMTP has no diagnosis in either language', () => {
    for (const lang of ['en', 'zh-CN'] as const) {
      expect(
        diagnose(lang, end({ exitCode: 0 }), { sessions: [{ firstClientBytes: EHLO }] }),
      ).toBeUndefined();
    }
  });

  it('not-started: a program that does not exist, spawned for real, says so in each language', async () => {
    const run = (lang: Lang) =>
      runClient(['smtp-lab-no-such-program-4', 'client.py'], {
        cwd: process.cwd(),
        env: { PATH: '/usr/bin:/bin' },
        timeoutMs: 10_000,
        outputCap: 4096,
        lang,
      });
    const [english, chinese] = await Promise.all([run('en'), run('zh-CN')]);
    expect(english.startError).toBe(
      'could not start smtp-lab-no-such-program-4: no such program (not on PATH) (spawn smtp-lab-no-such-program-4 ENOENT)',
    );
    expect(chinese.startError).toBe(
      '无法启动 smtp-lab-no-such-program-4：没有这个程序（不在 PATH 中）（spawn smtp-lab-no-such-program-4 ENOENT）',
    );
    // What the grader adds to the client's stderr says the same, in the run's language.
    expect(english.stderr).toBe(
      'smtp-lab: could not start smtp-lab-no-such-program-4: spawn smtp-lab-no-such-program-4 ENOENT\n',
    );
    expect(chinese.stderr).toBe(
      'smtp-lab: 无法启动 smtp-lab-no-such-program-4：spawn smtp-lab-no-such-program-4 ENOENT\n',
    );
    for (const [client, lang] of [
      [english, 'en'],
      [chinese, 'zh-CN'],
    ] as const) {
      const diagnosis = diagnose(lang, client);
      expect(diagnosis).toEqual({ kind: 'not-started', text: client.startError });
    }
  });

  it('every check of a diagnosed run says "not judged" in the run\'s language', () => {
    const diagnosis = diagnose('zh-CN', end({ exitCode: 3 }))!;
    const check: CheckResult = {
      id: 'greets',
      title: '问候',
      tier: 'baseline',
      applicable: true,
      passed: true,
      points: 1,
      maxPoints: 1,
      evidence: [],
      notes: [],
      hint: 'x',
    };
    expect(applyDiagnosis([check], diagnosis, 'zh-CN')[0]!.notes).toEqual([`未评判：${diagnosis.text}`]);
    expect(applyDiagnosis([check], diagnosis)[0]!.notes).toEqual([`not judged: ${diagnosis.text}`]);
  });

  it("the client output's cut line is in the run's language", () => {
    const stderr = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n');
    expect(outputTail(stderr).split('\n')[0]).toBe('[10 earlier lines not shown]');
    expect(outputTail(stderr, undefined, 'zh-CN').split('\n')[0]).toBe('[前面 10 行未显示]');
  });
});
