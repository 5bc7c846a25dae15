import type { CheckId } from '../../scenarios/check-ids.js';

/** The texts of a check that a student or instructor reads, in one language. */
export interface CheckText {
  readonly title: string;
  readonly judges: string;
  readonly hint: string;
}

/**
 * Every check's title, what it judges and its default hint in Simplified Chinese, keyed by
 * check id: a table (not catalogue keys) because the English lives in the registry entries next
 * to each judge. Typed `Record<CheckId, ...>`, so a check without a translation fails the type
 * check. Terms: docs/i18n/GLOSSARY.md; protocol tokens and code stay ASCII.
 */
export const CHECK_TEXT_ZH: Readonly<Record<CheckId, CheckText>> = {
  'waits-for-greeting': {
    title: '发送之前先等待 220 问候',
    judges: '每个会话中，客户端发出的第一批字节与问候的第一批字节的先后',
    hint: '先读取服务器的 "220" 行，再发送 HELO/EHLO。',
  },
  greets: {
    title: '用 EHLO 或 HELO 问候',
    judges: '整个运行中的第一条命令：带名字的 EHLO 或 HELO',
    hint: '首先发送 "EHLO yourname\\r\\n"（或 HELO），并检查是否得到 250 应答。',
  },
  crlf: {
    title: '每一行都以 CRLF 结尾',
    judges: '客户端发出的每一行：末尾是 CRLF，中间没有单独的 CR，没有命令粘在另一条命令的末尾',
    hint: 'SMTP 的行以 "\\r\\n" 结尾，而不是 "\\n"：把 CR 也写上，邮件正文里也一样。',
  },
  'waits-for-replies': {
    title: '发送下一条命令之前先等待应答',
    judges: '每条命令与上一条命令的应答的第一批字节的先后（PIPELINING 除外）',
    hint: '每条命令发出之后，先读取它的应答，再发送下一条。',
  },
  'reads-whole-replies': {
    title: '读完整个应答（多行、分片）再继续',
    judges: '客户端的每一行与它之前那个应答（包括问候）的最后一批字节的先后，即使客户端随后崩溃',
    hint: '一个应答可能分片到达，也可能有多行：一直读，直到某一行的第 4 个字符是空格（例如 "250 OK\\r\\n"）。一次 recv(1024) 不等于一个应答。',
  },
  'mail-from': {
    title: 'MAIL FROM:<发件人>',
    judges: '每条 MAIL 命令是否符合 RFC 5321 的 reverse-path 语法（任何地址都可以：学生用的是自己的地址）',
    hint: '发送 "MAIL FROM:<you@example.com>\\r\\n"：地址放在尖括号里，紧跟在冒号之后。',
  },
  'rcpt-to': {
    title: '每个收件人一条 RCPT TO:<收件人>',
    judges: '每条 RCPT 命令是否符合 RFC 5321 的 forward-path 语法（任何地址都可以）',
    hint: '每个收件人发送一次 "RCPT TO:<friend@example.com>\\r\\n"，地址放在尖括号里。',
  },
  'uses-given-addresses': {
    title: '使用给定的地址（MAIL_FROM、RCPT_TO）',
    judges: '信封地址与场景的 MAIL_FROM 和每个 RCPT_TO 是否一致（不区分大小写）',
    hint: '从 MAIL_FROM 读取发件人，从 RCPT_TO（以逗号分隔）读取收件人，不要写死在代码里。',
  },
  data: {
    title: 'DATA，并且在 354 之后才发送邮件',
    judges: '一条 DATA 命令，以及邮件的第一行与 354 的第一批字节的先后',
    hint: '发送 "DATA\\r\\n"，等待 "354"，然后再发送邮件。',
  },
  'message-format': {
    title: '邮件有首部（From、To、Subject）、一个空行，然后是正文',
    judges: '保存下来的邮件：From、To 和 Subject 首部行，一个空行，首部的语法',
    hint: '先写 From:、To: 和 Subject: 首部行，然后一个空行，然后是正文。',
  },
  'dot-stuffing': {
    title: '正文中以句点开头的行要多加一个句点',
    judges:
      '线路上的正文行（以 ".x" 到达服务器的行没有做句点填充）和保存下来的邮件（保存的以句点开头的行是填充后到达的）',
    hint: '以 "." 开头的正文行在发送时必须在前面多加一个 "."（RFC 5321 §4.5.2）。',
  },
  'data-terminator': {
    title: '用 <CRLF>.<CRLF> 结束邮件',
    judges: '每封发出的邮件的结尾：CRLF 之后只含 "." 的一行，并以 CRLF 结束',
    hint: '用 "\\r\\n.\\r\\n" 结束邮件：只含一个句点的一行，两边都是 CRLF。',
  },
  quit: {
    title: '发送 QUIT 并读取 221',
    judges: '最后一个会话：一条 QUIT 命令，应答为 221，并且 221 在客户端关闭连接之前发出',
    hint: '发送 "QUIT\\r\\n"，在关闭套接字之前读取 "221"。',
  },
  auth: {
    title: '认证（AUTH LOGIN 或 PLAIN，base64）',
    judges: 'AUTH 对话：每个回答都在对应的 334 之后，base64 行，最后是 235；只有场景要求时才检查账号',
    hint: 'AUTH LOGIN：在每个 334 之后，各用一行发送 base64 编码的用户名和密码。',
  },
  starttls: {
    title: '用 STARTTLS 升级连接',
    judges: '一条 STARTTLS 命令，随后是一次完成的 TLS 握手',
    hint: '发送 STARTTLS，等待 220，然后用 TLS 包装套接字（ssl.create_default_context().wrap_socket）。',
  },
  'ehlo-after-starttls': {
    title: '在 TLS 之内再次发送 EHLO',
    judges: 'STARTTLS 之后 TLS 之内的第一条命令：EHLO（HELO 没有可了解的扩展）',
    hint: 'TLS 握手之后会话重新开始：再次发送 EHLO。',
  },
  'verifies-certificate': {
    title: '拒绝无法验证的证书',
    judges: '一次由客户端发起、随后在其中没有发送任何命令就结束的 TLS 握手',
    hint: '使用默认的 TLS 上下文（它会验证证书和主机名）；绝不要关闭验证。',
  },
  'refuses-downgrade': {
    title: '要求 TLS 时不以明文发送 AUTH 或邮件',
    judges: '在 TLS 之外发送的 AUTH、凭据、MAIL、RCPT 和 DATA',
    hint: '如果要求 STARTTLS 而服务器没有提供（或拒绝了它），就停止：绝不要以明文发送密码。',
  },
  'handles-rejection': {
    title: '服务器拒绝后停止这次事务',
    judges: '本次运行中发生拒绝（AUTH、MAIL、RCPT、DATA、421）之后客户端发送的内容；没有拒绝就不算通过',
    hint: '检查每个应答的响应码：MAIL 或所有 RCPT 得到 5xx 时，不要继续发送 DATA。',
  },
  'handles-temporary-failure': {
    title: '暂时性失败（4xx）之后重试',
    judges: '运行中出现 4xx 应答，随后完成了一次投递',
    hint: '4xx 应答的意思是“稍后重试”：等待，然后重试这次事务。',
  },
  'mime-structure': {
    title: 'MIME 结构：包含文字和图片的 multipart，边界已关闭',
    judges: '保存下来的邮件：MIME-Version，含一个文字部分和一个图片部分的 multipart，关闭的边界',
    hint: '使用带边界的 multipart/mixed（或 related），并用 "--boundary--" 关闭它。',
  },
  'image-intact': {
    title: '图片逐字节完整到达',
    judges: '保存下来的邮件中 base64 部分与 IMAGE_FILE 的 sha256 是否一致',
    hint: '准确地对图片的字节做 base64 编码（以二进制模式打开文件）。',
  },
  'line-length': {
    title: '每行最多 998 个八位组；base64 在 76 处换行',
    judges: '线路上的正文行（998 个八位组）和保存下来的邮件中的 base64 行（76）',
    hint: 'base64 每行 76 个字符换行（RFC 2045）；任何一行都不能超过 998 个八位组。',
  },
  'header-encoding': {
    title: '非 ASCII 的首部文本按 RFC 2047 编码',
    judges: '保存下来的首部行：没有未编码的 8 位文本',
    hint: '把非 ASCII 的主题编码为 =?UTF-8?B?...?=（Python 中用 email.header.Header）。',
  },
  'exits-cleanly': {
    title: '以正确的状态退出，不会挂起',
    judges: '客户端进程：投递之后退出状态为 0，场景的要点是失败时为非零，绝不因到达时限而被终止',
    hint: '成功时以状态 0 退出，失败时以非零状态退出，并且绝不无限等待。',
  },
  'matches-reference': {
    title: '交互过程与预期的会话记录一致',
    judges:
      '规范化后的运行与预期会话记录的比较：默认比较交互过程；只有场景写明 `compare: envelope` 或 `message` 时才比较地址和邮件',
    hint: '阅读差异："-" 行是正确的客户端发送和收到的内容，"+" 行是你的客户端实际的内容。',
  },
};
