import * as checks from './areas/checks.js';
import * as cli from './areas/cli.js';
import * as grader from './areas/grader.js';
import * as scenarios from './areas/scenarios.js';
import * as server from './areas/server.js';
import * as web from './areas/web.js';
import type { Catalogue } from './en.js';

/**
 * 简体中文消息目录。键与占位符必须与 en.ts 完全一致（类型检查和 test/i18n 会检查）。
 * 术语见 docs/i18n/GLOSSARY.md；协议记号（HELO、MAIL FROM、250、STARTTLS、CRLF）不翻译。
 */
const core: Omit<
  Catalogue,
  | keyof typeof checks.en
  | keyof typeof cli.en
  | keyof typeof grader.en
  | keyof typeof scenarios.en
  | keyof typeof server.en
  | keyof typeof web.en
> = {
  'cli.lang.unknown': '{source} {value} 不是可用的语言（可选：{langs}）',

  'next.continue': '继续',
  'next.retry-later': '稍后用同一封邮件重试',
  'next.fix-command': '改正命令后重新发送',
  'next.skip-recipient': '放弃这个收件人，继续投递其他收件人',
  'next.give-up': '放弃',

  'explain.digits.undefinedName': '未定义',
  'explain.digits.firstUndefined': '不是 RFC 5321 定义的应答类别。',
  'explain.digits.secondUndefined': 'RFC 5321 只定义了 0 到 5 的第二位数字。',
  'explain.unlisted.name': '未收录的{first}应答',
  'explain.unlisted.nameWithCategory': '未收录的{first}应答（{second}）',
  'explain.unlisted.meaning': '{code} 不是标准响应码；按各位数字理解：{firstMeaning}类别：{secondMeaning}',
  'explain.subject.unknownName': '未知主题',
  'explain.subject.unknownMeaning': 'RFC 3463 只定义了 0 到 7 的主题。',
  'explain.enhanced.unlistedName': '未收录的{cls}（{subject}）',
  'explain.enhanced.unlistedMeaning': '{code} 不在目录中；按其类别和主题理解：{clsMeaning}',
  'explain.enhanced.classAdvice': '{cls}：{clsMeaning}',
  'explain.note.classMismatch':
    '增强状态码的类别 {cls} 与应答 {code} 不一致：RFC 3463 §2 要求类别相同；以基本响应码为准。',
  'explain.title.both': '{reply}：{enhanced}',
  'explain.advice.intermediate': '服务器在等待请求的其余部分：把它发过去。',
  'explain.advice.success': '请求已成功：继续会话。',
  'explain.advice.transient': '暂时性失败：稍后再发送同一请求。',
  'explain.advice.syntax': '语法类错误：检查客户端发送的内容。',
  'explain.advice.permanent': '永久性失败：不要原样重复同一请求。',

  'explain.error.notACode': '{input} 不是响应码：{reason}',
  'explain.error.notACodeShort': '{input} 不是响应码',
  'explain.error.expected':
    '应为基本响应码（200-599，如 550）、增强状态码（如 5.1.1）或两者一起（"550 5.1.1"）',
  'explain.error.integer': '响应码是 200 到 599 之间的整数',
  'explain.error.range': '响应码的范围是 200 到 599（RFC 5321 §4.2.1）',
  'explain.error.enhancedSyntax':
    '增强状态码的格式是 类别.主题.细节：类别为 2、4 或 5，主题和细节各为一到三位数字（RFC 3463 §2）',

  'explain.label.meaning': '含义',
  'explain.label.appears': '出现于',
  'explain.label.digits': '各位数字',
  'explain.label.class': '类别',
  'explain.label.subject': '主题',
  'explain.heading.reply': '应答 {code}',
  'explain.heading.enhanced': '增强状态码 {code}',
  'explain.headingLine': '{what}：{name}{ref}',
  'explain.ref': '（{ref}）',
  'explain.digitsLine': '{d1}xx {first}；x{d2}x {second}；xx{d3} {third}（{ref}）',
  'explain.partLine': '{value} {name}：{meaning}',
  'explain.next': '下一步：',
  'explain.nextLine': '{label}{step}',
  'explain.note': '注意：{note}',
  'explain.sources': '出处：{refs}',

  'scenarios.footer': '共 {count} 个场景。运行其中一个：smtp-lab lab <id>',

  'checks.row': '{id}  {title}（{tier}）',
  'checks.tier.baseline': '基本',
  'checks.tier.robustness': '健壮性',
  'checks.tier.optional': '选做',
  'checks.judges': '判定依据：{what}',
  'checks.footer': '共 {count} 个检查项。场景在 checks: 下列出它评分的检查项（id、points、tier、hint）。',
};

export const zhCN: Catalogue = {
  ...core,
  ...checks.zhCN,
  ...cli.zhCN,
  ...grader.zhCN,
  ...scenarios.zhCN,
  ...server.zhCN,
  ...web.zhCN,
};
