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
};
