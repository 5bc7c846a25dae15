/**
 * Messages printed by src/server/ (and what it renders), English and 简体中文 side by side. Keys start
 * with `server.`; en.ts and zh-CN.ts merge every area, and test/i18n/catalogue.test.ts checks that no
 * two areas share a key.
 */
export const en = {
  // The lab server's notes in a transcript, as src/cli/notes.ts shows them to a person (the
  // transcript files keep the English text as recorded)
  'server.note.connected': 'connection from {from} to port {port}',
  'server.note.connectedTls': 'connection from {from} to port {port} (implicit TLS)',
  'server.note.halfClosed': 'client closed its sending side',
  'server.note.closed': 'client connection closed',
  'server.note.tlsStarted': 'TLS started: {tls}',
  'server.note.tlsAborted': 'TLS handshake aborted by the scenario',
  'server.note.tlsUnfinished':
    'TLS handshake with the client failed: the client closed the connection before the handshake completed (did it refuse the certificate?)',
  'server.note.tlsFailed': 'TLS handshake with the client failed: {reason}',
  'server.note.clientError': 'client error: {reason}',
  'server.note.idle': 'idle timeout after {seconds} s',
  'server.note.sessionLimit': 'session time limit of {limit} reached',
  'server.note.reset': 'connection reset (RST) by the server',
  'server.note.sizeLimit':
    'message over the size limit ({bytes} bytes): the rest is read, not stored; the server will refuse it (552)',
  'server.note.fault': 'fault: {fault}',
  // src/server/faults.ts: what a fault did, as the fault note records it (describeAction,
  // describeTrigger write the English; src/server/notes.ts reads a note back by these templates)
  'server.fault.note': 'fault: {action} (on {trigger})',
  'server.fault.action.delay': 'delay {ms} ms',
  'server.fault.action.fragment': 'split into {size}-byte pieces, {gapMs} ms apart',
  'server.fault.action.throttle': 'throttle to {bytesPerSecond} bytes/s',
  'server.fault.action.replace': 'replace with {code}',
  'server.fault.action.multiline': 'make multi-line ({count} lines)',
  'server.fault.action.garbage': 'inject garbage',
  'server.fault.action.swallow': 'swallow the reply',
  'server.fault.action.reset': 'reset the connection (RST)',
  'server.fault.action.close': 'close the connection (FIN)',
  'server.fault.action.replyAndClose': 'answer {code} and close',
  'server.fault.action.tlsAbort': 'abort the TLS handshake',
  'server.fault.trigger.greeting': 'the greeting',
  'server.fault.trigger.command': 'command #{n}',
  'server.fault.trigger.reply': 'a {code} reply',
  'server.fault.trigger.everyReply': 'every reply',
  'server.fault.trigger.dataByte': 'DATA byte {n}',
  'server.fault.trigger.after': '{ms} ms after connect',
  // a verb stays the protocol token it is, in every language
  'server.fault.trigger.verb': '{verb}',
} as const;

export const zhCN: { readonly [K in keyof typeof en]: string } = {
  'server.note.connected': '来自 {from} 的连接，连到端口 {port}',
  'server.note.connectedTls': '来自 {from} 的连接，连到端口 {port}（隐式 TLS）',
  'server.note.halfClosed': '客户端关闭了它的发送方向',
  'server.note.closed': '客户端连接已关闭',
  'server.note.tlsStarted': 'TLS 已开始：{tls}',
  'server.note.tlsAborted': '场景中止了 TLS 握手',
  'server.note.tlsUnfinished': '与客户端的 TLS 握手失败：客户端在握手完成前关闭了连接（它是否拒绝了证书？）',
  'server.note.tlsFailed': '与客户端的 TLS 握手失败：{reason}',
  'server.note.clientError': '客户端错误：{reason}',
  'server.note.idle': '空闲 {seconds} 秒后超时',
  'server.note.sessionLimit': '达到会话时间上限 {limit}',
  'server.note.reset': '服务器重置了连接（RST）',
  'server.note.sizeLimit':
    '邮件超过大小上限（{bytes} 字节）：其余部分照常读取但不保存；服务器将拒绝它（552）',
  'server.note.fault': '故障：{fault}',
  'server.fault.note': '故障：{action}（触发条件：{trigger}）',
  'server.fault.action.delay': '延迟 {ms} 毫秒',
  'server.fault.action.fragment': '拆成每片 {size} 字节的分片，间隔 {gapMs} 毫秒',
  'server.fault.action.throttle': '限速为每秒 {bytesPerSecond} 字节',
  'server.fault.action.replace': '换成 {code} 应答',
  'server.fault.action.multiline': '改为多行应答（{count} 行）',
  'server.fault.action.garbage': '插入垃圾字节',
  'server.fault.action.swallow': '吞掉这条应答',
  'server.fault.action.reset': '重置连接（RST）',
  'server.fault.action.close': '关闭连接（FIN）',
  'server.fault.action.replyAndClose': '应答 {code} 后关闭连接',
  'server.fault.action.tlsAbort': '中止 TLS 握手',
  'server.fault.trigger.greeting': '问候',
  'server.fault.trigger.command': '第 {n} 条命令',
  'server.fault.trigger.reply': '{code} 应答',
  'server.fault.trigger.everyReply': '每条应答',
  'server.fault.trigger.dataByte': 'DATA 的第 {n} 个字节',
  'server.fault.trigger.after': '连接后 {ms} 毫秒',
  'server.fault.trigger.verb': '{verb}',
};
