/**
 * Messages the checks write (src/grader/checks/: reasons, notes, evidence labels), English and 简体中文
 * side by side. Keys start with `verdict.`; en.ts and zh-CN.ts merge every area, and
 * test/i18n/catalogue.test.ts checks that no two areas share a key.
 *
 * Placeholders that hold what the student sent (`{found}`, `{text}`, `{header}`, `{address}` where the
 * English quotes it) arrive already quoted with JSON.stringify; `{keyword}`, `{verb}`, `{code}` are
 * protocol tokens and stay as they are in every language.
 */
export const en = {
  // Shared by several checks.
  'verdict.sentNothing': 'the client sent nothing',
  'verdict.verbLowerCase': 'the verb is not in upper case',
  'verdict.noMessageStored': 'no message was stored',
  'verdict.noBodySent': 'no message body was sent',

  // index.ts: evidence lines and the desync rule.
  'verdict.clipped': '{text}... ({more} more characters)',
  'verdict.desync.notScored':
    'not scored: the client lost track of the replies (reads-whole-replies: {why}), so this failure may only be its echo',
  'verdict.desync.partRead': 'a reply read in part',

  // session.ts
  'verdict.waits-for-greeting.early': 'sent before the greeting had arrived',
  'verdict.greets.noCommand': 'the client sent no command',
  'verdict.crlf.bodyBareCr': 'body line {n} ({text}) has a bare CR inside',
  'verdict.crlf.bodyBareLf': 'body line {n} ({text}) ends with a bare LF',
  'verdict.crlf.bareCr': 'a bare CR inside the line',
  'verdict.crlf.bareLf': 'ends with a bare LF',
  'verdict.crlf.noEnding': 'ends with no line ending',
  'verdict.crlf.glued': '"{verb}" glued to the end of the line before it: no CRLF between commands',
  'verdict.pacing.duringGreeting': 'sent while the greeting was still arriving',
  'verdict.pacing.beforeReply': 'sent before any reply to {verb} arrived',
  'verdict.pacing.beforeReplyToPrevious': 'sent before any reply to the previous command arrived',
  'verdict.pacing.duringReply': 'sent while the reply to {verb} was still arriving',
  'verdict.pacing.duringReplyToPrevious': 'sent while the reply to the previous command was still arriving',
  'verdict.pacing.noCompleteCommand': 'the client sent no complete command',
  'verdict.quit.neverConnected': 'the client never connected',
  'verdict.quit.insideData':
    'QUIT was sent inside the unfinished message: the server read it as message text',
  'verdict.quit.stillInData': 'still inside DATA: the message was never ended',
  'verdict.quit.notSent': 'QUIT was never sent',
  'verdict.quit.not221': 'answered {code}, not 221: the server did not read this line as QUIT',
  'verdict.quit.closedEarly': 'the client closed before the 221 arrived',

  // envelope.ts: judgePath, one message per PathIssue
  'verdict.path.notACommand': 'not a command',
  'verdict.path.noKeyword': 'expected "{keyword}:" after the verb, not {found}',
  'verdict.path.spaceBeforeColon': 'a space before the colon: "{keyword} :" (write "{keyword}:")',
  'verdict.path.spaceAfterColon': 'a space after the colon (RFC 5321 grammar: "{keyword}:<address>")',
  'verdict.path.spaceAtEnd': 'a space before the line end (RFC 5321 grammar allows none)',
  'verdict.path.noBrackets':
    'no angle brackets around the address: "{keyword}:{address}" must be "{keyword}:<{address}>"',
  'verdict.path.noAddress': 'no address after "{keyword}:"',
  'verdict.path.noClosingBracket': 'no closing ">" after the address',
  'verdict.path.textAfterAddress': 'unexpected text after the address: {found}',
  'verdict.path.emptyRecipient': 'an empty recipient "<>"',
  'verdict.path.spaceInAddress': 'a space inside the address {address}',
  'verdict.path.noDomain': '{address} is not an address: no @domain',
  'verdict.path.notAMailbox': '{address} is not an RFC 5321 mailbox (local-part@domain)',

  // envelope.ts: the checks
  'verdict.envelope.noCommand': 'no {verb} command was sent',
  'verdict.uses-given-addresses.sender': 'MAIL FROM:<{sent}>, but MAIL_FROM is {given}',
  'verdict.uses-given-addresses.senderWhy': 'MAIL_FROM is {given}',
  'verdict.uses-given-addresses.recipients': 'no RCPT TO:<{missing}> (RCPT_TO)',
  'verdict.uses-given-addresses.recipientsWhy': 'RCPT_TO is {given}',
  'verdict.data.notSent': 'DATA was never sent',
  'verdict.data.early': 'message sent before the 354 arrived',
  'verdict.data.refused': 'DATA answered {code}, no message sent',
  'verdict.data.noMessage': 'no message was sent',
  'verdict.handles-rejection.after421': 'sent after the server closed the session with 421',
  'verdict.handles-rejection.mailAfterAuth': 'MAIL although AUTH was refused',
  'verdict.handles-rejection.rcptAfterMail': 'RCPT after MAIL was refused',
  'verdict.handles-rejection.dataWithoutRecipient': 'DATA although no recipient was accepted',
  'verdict.handles-rejection.nothingRefused':
    'nothing this client sent was refused, so there was no refusal to handle: it never reached the step this scenario refuses',
  'verdict.handles-rejection.lastCommand': 'its last command',
  'verdict.handles-temporary-failure.none': 'no temporary failure happened',
  'verdict.handles-temporary-failure.notRetried': 'a 4xx here was never retried to success',

  // message.ts
  'verdict.message-format.noBlankLine': 'no empty line between the headers and the body',
  'verdict.message-format.noHeader': 'no {name}: header',
  'verdict.message-format.notAHeader': 'not a header line: {line}',
  'verdict.dot-stuffing.notDoubled': 'body line {n} ({text}): a body line starting with "." was not doubled',
  'verdict.dot-stuffing.transferEncoded':
    'the body is transfer-encoded: its lines that start with a dot needed no stuffing on the wire',
  'verdict.dot-stuffing.untestedBody':
    'no line of the message starts with a dot, so dot-stuffing was never tested: send MAIL_BODY as the body',
  'verdict.dot-stuffing.untested':
    'no line of the message starts with a dot, so dot-stuffing was never tested: send a body line that starts with "."',
  'verdict.data-terminator.loneDotLf':
    'body line {n} ({text}): a "." line ended with a bare LF: the server is still waiting for <CRLF>.<CRLF>',
  'verdict.data-terminator.loneDotOther':
    'body line {n} ({text}): a "." line ended with something other than CRLF: the server is still waiting for <CRLF>.<CRLF>',
  'verdict.data-terminator.neverEnded': 'the message was never ended',
  'verdict.mime-structure.noBoundary': 'a multipart entity without a boundary parameter',
  'verdict.mime-structure.unclosed': 'the boundary "{boundary}" is never closed with "{delimiter}--"',
  'verdict.mime-structure.notMultipart': 'the message is not multipart',
  'verdict.mime-structure.noMimeVersion': 'no MIME-Version: 1.0 header',
  'verdict.mime-structure.noTextPart': 'no text part',
  'verdict.mime-structure.noImagePart': 'no image/* part',
  'verdict.image-intact.noImage': 'the scenario gives no image',
  'verdict.image-intact.mismatch': 'no part decodes to the exact image bytes',
  'verdict.image-intact.noBase64': 'no base64 part found',
  'verdict.line-length.tooLong': 'body line {n}: {octets} octets',
  'verdict.line-length.base64': 'a base64 line of {length} characters (wrap at 76)',
  'verdict.header-encoding.raw': 'raw 8-bit text in a header: {header}',

  // security.ts
  'verdict.auth.anyAccount':
    'any user name and password are accepted here: this scenario judges the AUTH dialogue, not the account',
  'verdict.auth.accountMatters':
    "the account matters here: only the scenario's SMTP_USER and SMTP_PASS are accepted",
  'verdict.auth.notSent': 'the client never sent AUTH',
  'verdict.auth.early': 'sent before the 334 asking for it arrived',
  'verdict.auth.notBase64': 'an AUTH response line is not base64 (encode the user name and password)',
  'verdict.auth.notBase64Why': 'a response after it is not base64',
  'verdict.auth.no235': 'never answered 235',
  'verdict.starttls.notSent': 'STARTTLS was never sent',
  'verdict.starttls.noHandshake': 'no TLS handshake followed',
  'verdict.ehlo-after-starttls.helo': 'HELO, not EHLO: AUTH is offered only in the EHLO reply',
  'verdict.ehlo-after-starttls.notEhlo': 'first command inside TLS is not EHLO',
  'verdict.ehlo-after-starttls.none': 'no command was sent inside TLS after STARTTLS',
  'verdict.verifies-certificate.noTls': 'the client never started TLS, so it never saw a certificate',
  'verdict.verifies-certificate.wentOn': 'went on inside TLS with a certificate it could not verify',
  'verdict.refuses-downgrade.plaintext': 'sent in plaintext',

  // process.ts
  'verdict.exits-cleanly.noProcess': 'no client process in this run',
  'verdict.exits-cleanly.lastLine': 'the last line the client sent before it ended',
  'verdict.exits-cleanly.timedOut': 'the client was killed after the time limit',
  'verdict.exits-cleanly.abnormal':
    'the client did not exit normally (killed by a signal, or it never started)',
  'verdict.exits-cleanly.expectedFailure': 'exit status {code} (expected non-zero: the send failed)',
  'verdict.exits-cleanly.expectedSuccess': 'exit status {code} (expected 0)',

  // reference.ts: one sentence per compare mode (the part of the run that differs)
  'verdict.reference.none': 'the scenario names no expected transcript',
  'verdict.reference.unusable': 'the expected transcript cannot be used: {error}',
  'verdict.reference.unreadable': 'unreadable',
  'verdict.reference.differsExchange':
    "this run differs from the expected transcript ({file}) in the exchange (commands, the envelope's shape, reply codes): {changed} line(s)",
  'verdict.reference.differsEnvelope':
    'this run differs from the expected transcript ({file}) in the envelope addresses: {changed} line(s)',
  'verdict.reference.differsMessage':
    'this run differs from the expected transcript ({file}) in the message (headers and body): {changed} line(s)',
  'verdict.reference.firstExchange':
    "first difference in the exchange (commands, the envelope's shape, reply codes)",
  'verdict.reference.firstEnvelope': 'first difference in the envelope addresses',
  'verdict.reference.firstMessage': 'first difference in the message (headers and body)',
  'verdict.reference.alsoMessage':
    'this run also differs in the message (headers and body): not compared here (compare: {mode})',
  'verdict.reference.alsoBoth':
    'this run also differs in the envelope addresses and the message (headers and body): not compared here (compare: {mode})',
  'verdict.reference.diffExpected': 'expected',
  'verdict.reference.diffThisRun': 'this run',
  'verdict.reference.diffMore': '... ({count} more diff lines)',
} as const;

export const zhCN: { readonly [K in keyof typeof en]: string } = {
  'verdict.sentNothing': '客户端什么也没有发送',
  'verdict.verbLowerCase': '命令动词不是大写',
  'verdict.noMessageStored': '没有存下任何邮件',
  'verdict.noBodySent': '没有发送邮件正文',

  'verdict.clipped': '{text}...（还有 {more} 个字符）',
  'verdict.desync.notScored':
    '不计分：客户端与应答脱节了（reads-whole-replies：{why}），这项失败可能只是它的连带后果',
  'verdict.desync.partRead': '只读到了应答的一部分',

  'verdict.waits-for-greeting.early': '在问候到达之前就发送了',
  'verdict.greets.noCommand': '客户端没有发送任何命令',
  'verdict.crlf.bodyBareCr': '正文第 {n} 行（{text}）中间有单独的 CR',
  'verdict.crlf.bodyBareLf': '正文第 {n} 行（{text}）以单独的 LF 结尾',
  'verdict.crlf.bareCr': '这一行中间有单独的 CR',
  'verdict.crlf.bareLf': '以单独的 LF 结尾',
  'verdict.crlf.noEnding': '这一行没有行尾',
  'verdict.crlf.glued': '"{verb}" 紧接在上一行末尾：两条命令之间没有 CRLF',
  'verdict.pacing.duringGreeting': '在问候还没有收完时就发送了',
  'verdict.pacing.beforeReply': '在 {verb} 的应答一个字节都没到达之前就发送了',
  'verdict.pacing.beforeReplyToPrevious': '在上一条命令的应答一个字节都没到达之前就发送了',
  'verdict.pacing.duringReply': '在 {verb} 的应答还没有收完时就发送了',
  'verdict.pacing.duringReplyToPrevious': '在上一条命令的应答还没有收完时就发送了',
  'verdict.pacing.noCompleteCommand': '客户端没有发送一条完整的命令',
  'verdict.quit.neverConnected': '客户端从未连接',
  'verdict.quit.insideData': 'QUIT 是在没有结束的邮件里发送的：服务器把它当成了邮件内容',
  'verdict.quit.stillInData': '仍在 DATA 之中：这封邮件从未结束',
  'verdict.quit.notSent': '从未发送 QUIT',
  'verdict.quit.not221': '应答是 {code}，不是 221：服务器没有把这一行当作 QUIT',
  'verdict.quit.closedEarly': '客户端在 221 到达之前就关闭了连接',

  'verdict.path.notACommand': '不是一条命令',
  'verdict.path.noKeyword': '命令动词后面应为 "{keyword}:"，实际是 {found}',
  'verdict.path.spaceBeforeColon': '冒号前有空格："{keyword} :"（应写成 "{keyword}:"）',
  'verdict.path.spaceAfterColon': '冒号后有空格（RFC 5321 语法："{keyword}:<address>"）',
  'verdict.path.spaceAtEnd': '行尾前有空格（RFC 5321 语法不允许）',
  'verdict.path.noBrackets': '地址两边没有尖括号："{keyword}:{address}" 应写成 "{keyword}:<{address}>"',
  'verdict.path.noAddress': '"{keyword}:" 后面没有地址',
  'verdict.path.noClosingBracket': '地址后面没有右尖括号 ">"',
  'verdict.path.textAfterAddress': '地址后面有多余的内容：{found}',
  'verdict.path.emptyRecipient': '收件人为空 "<>"',
  'verdict.path.spaceInAddress': '地址 {address} 中间有空格',
  'verdict.path.noDomain': '{address} 不是地址：没有 @域名',
  'verdict.path.notAMailbox': '{address} 不是 RFC 5321 规定的邮箱地址（local-part@domain）',

  'verdict.envelope.noCommand': '没有发送 {verb} 命令',
  'verdict.uses-given-addresses.sender': '发送的是 MAIL FROM:<{sent}>，但 MAIL_FROM 是 {given}',
  'verdict.uses-given-addresses.senderWhy': 'MAIL_FROM 是 {given}',
  'verdict.uses-given-addresses.recipients': '没有发送 RCPT TO:<{missing}>（RCPT_TO）',
  'verdict.uses-given-addresses.recipientsWhy': 'RCPT_TO 是 {given}',
  'verdict.data.notSent': '从未发送 DATA',
  'verdict.data.early': '在 354 到达之前就发送了邮件',
  'verdict.data.refused': 'DATA 的应答是 {code}，没有发送邮件',
  'verdict.data.noMessage': '没有发送邮件',
  'verdict.handles-rejection.after421': '服务器已用 421 关闭会话，之后仍在发送',
  'verdict.handles-rejection.mailAfterAuth': 'AUTH 已被拒绝，仍发送了 MAIL',
  'verdict.handles-rejection.rcptAfterMail': 'MAIL 已被拒绝，仍发送了 RCPT',
  'verdict.handles-rejection.dataWithoutRecipient': '没有一个收件人被接受，仍发送了 DATA',
  'verdict.handles-rejection.nothingRefused':
    '这个客户端发送的内容没有一条被拒绝，所以没有可处理的拒绝：它从未走到本场景拒绝的那一步',
  'verdict.handles-rejection.lastCommand': '它的最后一条命令',
  'verdict.handles-temporary-failure.none': '没有发生暂时性失败',
  'verdict.handles-temporary-failure.notRetried': '这里的 4xx 之后始终没有重试成功',

  'verdict.message-format.noBlankLine': '首部和正文之间没有空行',
  'verdict.message-format.noHeader': '没有 {name}: 首部',
  'verdict.message-format.notAHeader': '不是首部行：{line}',
  'verdict.dot-stuffing.notDoubled': '正文第 {n} 行（{text}）：以 "." 开头的正文行前面没有再加一个 "."',
  'verdict.dot-stuffing.transferEncoded': '正文使用了传输编码：以句点开头的行在线路上不需要句点填充',
  'verdict.dot-stuffing.untestedBody':
    '邮件中没有以句点开头的行，所以句点填充从未受到检验：请把 MAIL_BODY 作为正文发送',
  'verdict.dot-stuffing.untested':
    '邮件中没有以句点开头的行，所以句点填充从未受到检验：请发送一行以 "." 开头的正文',
  'verdict.data-terminator.loneDotLf':
    '正文第 {n} 行（{text}）：只有 "." 的一行以单独的 LF 结尾：服务器仍在等待 <CRLF>.<CRLF>',
  'verdict.data-terminator.loneDotOther':
    '正文第 {n} 行（{text}）：只有 "." 的一行不是以 CRLF 结尾：服务器仍在等待 <CRLF>.<CRLF>',
  'verdict.data-terminator.neverEnded': '这封邮件从未结束',
  'verdict.mime-structure.noBoundary': '一个 multipart 实体没有 boundary 参数',
  'verdict.mime-structure.unclosed': 'boundary 分隔符 "{boundary}" 从未用 "{delimiter}--" 结束',
  'verdict.mime-structure.notMultipart': '这封邮件不是 multipart',
  'verdict.mime-structure.noMimeVersion': '没有 MIME-Version: 1.0 首部',
  'verdict.mime-structure.noTextPart': '没有文本部分',
  'verdict.mime-structure.noImagePart': '没有 image/* 部分',
  'verdict.image-intact.noImage': '本场景没有提供图片',
  'verdict.image-intact.mismatch': '没有一个部分解码后与图片的字节完全相同',
  'verdict.image-intact.noBase64': '没有找到 base64 部分',
  'verdict.line-length.tooLong': '正文第 {n} 行有 {octets} 个八位组',
  'verdict.line-length.base64': '一行 base64 有 {length} 个字符（应在 76 个字符处换行）',
  'verdict.header-encoding.raw': '首部中有未编码的 8 位文本：{header}',

  'verdict.auth.anyAccount': '这里接受任何用户名和密码：本场景评判的是 AUTH 对话，而不是账号',
  'verdict.auth.accountMatters': '这里账号必须正确：只接受本场景的 SMTP_USER 和 SMTP_PASS',
  'verdict.auth.notSent': '客户端从未发送 AUTH',
  'verdict.auth.early': '在请求它的 334 到达之前就发送了',
  'verdict.auth.notBase64': 'AUTH 的一行响应不是 base64（请对用户名和密码进行编码）',
  'verdict.auth.notBase64Why': '它之后的一行响应不是 base64',
  'verdict.auth.no235': '始终没有得到 235 应答',
  'verdict.starttls.notSent': '从未发送 STARTTLS',
  'verdict.starttls.noHandshake': '之后没有完成 TLS 握手',
  'verdict.ehlo-after-starttls.helo': '是 HELO 而不是 EHLO：只有 EHLO 的应答里才会提供 AUTH',
  'verdict.ehlo-after-starttls.notEhlo': 'TLS 中的第一条命令不是 EHLO',
  'verdict.ehlo-after-starttls.none': 'STARTTLS 之后没有在 TLS 中发送任何命令',
  'verdict.verifies-certificate.noTls': '客户端从未启动 TLS，所以从未见到证书',
  'verdict.verifies-certificate.wentOn': '证书无法验证，却仍在 TLS 中继续会话',
  'verdict.refuses-downgrade.plaintext': '以明文发送',

  'verdict.exits-cleanly.noProcess': '本次运行没有客户端进程',
  'verdict.exits-cleanly.lastLine': '客户端结束前发送的最后一行',
  'verdict.exits-cleanly.timedOut': '客户端超过时间限制被终止',
  'verdict.exits-cleanly.abnormal': '客户端没有正常退出（被信号终止，或者根本没有启动）',
  'verdict.exits-cleanly.expectedFailure': '退出码为 {code}（应为非零：发送失败了）',
  'verdict.exits-cleanly.expectedSuccess': '退出码为 {code}（应为 0）',

  'verdict.reference.none': '本场景没有指定预期会话记录',
  'verdict.reference.unusable': '预期会话记录无法使用：{error}',
  'verdict.reference.unreadable': '无法读取',
  'verdict.reference.differsExchange':
    '本次运行与预期会话记录（{file}）在交互过程（命令、信封的形式、响应码）上不同：{changed} 行',
  'verdict.reference.differsEnvelope': '本次运行与预期会话记录（{file}）在信封地址上不同：{changed} 行',
  'verdict.reference.differsMessage':
    '本次运行与预期会话记录（{file}）在邮件（首部和正文）上不同：{changed} 行',
  'verdict.reference.firstExchange': '交互过程（命令、信封的形式、响应码）的第一处不同',
  'verdict.reference.firstEnvelope': '信封地址的第一处不同',
  'verdict.reference.firstMessage': '邮件（首部和正文）的第一处不同',
  'verdict.reference.alsoMessage': '本次运行在邮件（首部和正文）上也不同：这里不比较（compare: {mode}）',
  'verdict.reference.alsoBoth':
    '本次运行在信封地址和邮件（首部和正文）上也不同：这里不比较（compare: {mode}）',
  'verdict.reference.diffExpected': '预期',
  'verdict.reference.diffThisRun': '本次运行',
  'verdict.reference.diffMore': '...（还有 {count} 行差异）',
};
