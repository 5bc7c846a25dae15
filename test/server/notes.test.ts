import { describe, expect, it } from 'vitest';
import { messages } from '../../src/i18n/messages.js';
import { describeFault } from '../../src/server/faults.js';
import { translateServerNote } from '../../src/server/notes.js';
import type { Action, Fault, Trigger } from '../../src/server/vocabulary.js';

/**
 * The fault notes the server records, read back for a zh-CN reader. Every action and trigger of
 * the vocabulary is written out once; the English note is what the transcript files always had
 * (written here by hand, so a changed template fails), and its Chinese keeps no English word.
 */
const ACTIONS: ReadonlyArray<readonly [Action, string, string]> = [
  [{ kind: 'delay', ms: 200 }, 'delay 200 ms', '延迟 200 毫秒'],
  [
    { kind: 'fragment', size: 5, gapMs: 8 },
    'split into 5-byte pieces, 8 ms apart',
    '拆成每片 5 字节的分片，间隔 8 毫秒',
  ],
  [{ kind: 'throttle', bytesPerSecond: 10 }, 'throttle to 10 bytes/s', '限速为每秒 10 字节'],
  [{ kind: 'replace', reply: { code: 421, text: 'bye' } }, 'replace with 421', '换成 421 应答'],
  [{ kind: 'multiline', lines: ['a', 'b'] }, 'make multi-line (3 lines)', '改为多行应答（3 行）'],
  [{ kind: 'garbage', bytes: 'xx' }, 'inject garbage', '插入垃圾字节'],
  [{ kind: 'swallow' }, 'swallow the reply', '吞掉这条应答'],
  [{ kind: 'close', how: 'rst' }, 'reset the connection (RST)', '重置连接（RST）'],
  [{ kind: 'close', how: 'fin' }, 'close the connection (FIN)', '关闭连接（FIN）'],
  [
    { kind: 'reply-and-close', reply: { code: 554, text: 'no' } },
    'answer 554 and close',
    '应答 554 后关闭连接',
  ],
  [{ kind: 'tls-abort' }, 'abort the TLS handshake', '中止 TLS 握手'],
];

const TRIGGERS: ReadonlyArray<readonly [Trigger, string, string]> = [
  [{ kind: 'greeting' }, 'the greeting', '问候'],
  [{ kind: 'command', n: 2 }, 'command #2', '第 2 条命令'],
  [{ kind: 'verb', verb: 'MAIL' }, 'MAIL', 'MAIL'],
  [{ kind: 'verb', verb: '.' }, '.', '.'],
  [{ kind: 'reply', code: 250 }, 'a 250 reply', '250 应答'],
  [{ kind: 'every-reply' }, 'every reply', '每条应答'],
  [{ kind: 'data-byte', n: 100 }, 'DATA byte 100', 'DATA 的第 100 个字节'],
  [{ kind: 'after', ms: 500 }, '500 ms after connect', '连接后 500 毫秒'],
];

const zh = messages('zh-CN');
const en = messages('en');

describe('fault notes: recorded in English, read back in zh-CN', () => {
  for (const [action, actionEn, actionZh] of ACTIONS) {
    for (const [trigger, triggerEn, triggerZh] of TRIGGERS) {
      it(`${action.kind}${'how' in action ? `/${action.how}` : ''} on ${triggerEn}`, () => {
        const fault = { on: trigger, do: action } as Fault;
        const note = describeFault(fault);
        expect(note).toBe(`fault: ${actionEn} (on ${triggerEn})`);
        expect(translateServerNote(note, en)).toBe(note);
        expect(translateServerNote(note, zh)).toBe(`故障：${actionZh}（触发条件：${triggerZh}）`);
        // What the Chinese reader sees is what the server would have written in Chinese.
        expect(translateServerNote(note, zh)).toBe(describeFault(fault, zh));
      });
    }
  }

  it('an unknown fault detail keeps its words behind the Chinese "fault:"; an unknown note stays as recorded', () => {
    expect(translateServerNote('fault: teleport the reply (on the moon)', zh)).toBe(
      '故障：teleport the reply (on the moon)',
    );
    expect(translateServerNote('something new', zh)).toBe('something new');
  });
});
