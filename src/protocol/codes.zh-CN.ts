/**
 * 响应码目录的简体中文文本：与 codes.ts 的英文表一一对应，按码索引。缺一条翻译，
 * test/protocol/codes-i18n.test.ts 就会失败；字段缺失则类型检查失败。
 * 协议记号（EHLO、MAIL FROM、250、STARTTLS、CRLF）和 RFC 出处不翻译。术语见 docs/i18n/GLOSSARY.md。
 */

export interface ReplyCodeText {
  name: string;
  meaning: string;
  appears: string;
  advice: string;
}

export interface PartText {
  name: string;
  meaning: string;
}

export interface EnhancedDetailText {
  name: string;
  meaning: string;
  /** Present exactly when the English entry has advice. */
  advice?: string;
}

// prettier-ignore
export const ZH_REPLY_CODES: Readonly<Record<number, ReplyCodeText>> = {
  211: { name: '系统状态',
    meaning: '系统状态或系统帮助应答。',
    appears: 'HELP 的应答（以及非标准的状态查询）',
    advice: '仅供参考；无需处理。' },
  214: { name: '帮助信息',
    meaning: '给人看的帮助文本：如何使用这台服务器，或某个非标准命令的含义。',
    appears: 'HELP 的应答',
    advice: '仅供参考，只对人有用。' },
  220: { name: '服务就绪',
    meaning: '服务器已就绪：每个会话开头的问候（文本中写明服务器名称）。也是 STARTTLS 之后开始 TLS 握手的许可。',
    appears: '连接后的问候；STARTTLS 的应答（"Ready to start TLS"）',
    advice: '收到问候后：发送 EHLO（或 HELO）。STARTTLS 之后：立即开始 TLS 握手，然后再发送一次 EHLO，因为服务器会忘掉 TLS 之前说过的一切。' },
  221: { name: '服务关闭传输信道',
    meaning: '服务器道别，随后将关闭连接。',
    appears: 'QUIT 的应答',
    advice: '会话结束：关闭套接字。此前以 250 接受的邮件仍然会投递。' },
  235: { name: '认证成功',
    meaning: 'AUTH 交互成功：客户端在本次会话中已通过认证。',
    appears: 'AUTH 的应答（在最后一行凭据之后）',
    advice: '继续发送 MAIL FROM。' },
  250: { name: '请求的邮件操作完成',
    meaning: '命令成功。对 EHLO 的应答通常有多行，每行一个扩展（SIZE、STARTTLS、AUTH ...）；在 DATA 结尾的句点之后，它表示服务器已接管这封邮件的投递责任。',
    appears: 'EHLO、HELO、MAIL、RCPT、DATA 结尾、RSET、NOOP、VRFY 的应答',
    advice: '发送下一条命令。先读完整个应答：多行应答只在响应码后跟空格的那一行结束。' },
  251: { name: '用户非本地；将转发',
    meaning: '收件人被接受；服务器会把邮件转发到另一个地址。',
    appears: 'RCPT（以及 VRFY）的应答',
    advice: '该收件人视为已接受：继续。' },
  252: { name: '无法 VRFY 该用户，但会接受邮件',
    meaning: '服务器不核实这个地址，但会接受发给它的邮件并尝试投递。',
    appears: 'VRFY 的应答',
    advice: '地址既未确认也未拒绝；发给它仍可能成功。' },
  334: { name: '服务器质询',
    meaning: 'AUTH 的继续应答：文本是 base64 编码的质询（AUTH LOGIN 中 "VXNlcm5hbWU6" 即 "Username:"，"UGFzc3dvcmQ6" 即 "Password:"；不带初始响应的 PLAIN 则为空）。',
    appears: 'AUTH 以及每一行 AUTH 回答的应答',
    advice: '发送一行：对质询的 base64 回答（用户名、密码或 PLAIN 字符串），或发送 "*" 取消这次交互。' },
  354: { name: '开始输入邮件',
    meaning: '服务器已准备好接收邮件：首部、一个空行、邮件正文，以 <CRLF>.<CRLF> 结束。',
    appears: 'DATA 的应答',
    advice: '用 CRLF 换行发送邮件，把每行开头的 "." 写成两个（句点填充），最后以 "\\r\\n.\\r\\n" 结束，并等待最终应答。' },
  421: { name: '服务不可用，关闭传输信道',
    meaning: '服务器无法为本会话服务（过载、关机、空闲超时、频率限制），并关闭连接。',
    appears: '问候（代替 220）；服务器必须关闭时对任何命令的应答',
    advice: '连接正在关闭：不要再发送。稍后重新连接，把整封邮件重新发送；未完成的事务中没有任何内容被投递。' },
  450: { name: '邮箱不可用（暂时）',
    meaning: '请求的邮件操作未执行：邮箱不可用，例如忙碌或因策略被暂时阻止。使用灰名单的服务器对第一次尝试回复此码。',
    appears: 'RCPT、MAIL（以及 DATA 结尾）的应答',
    advice: '稍后用同一封邮件重试（灰名单在几分钟后接受重试）；不要把它当作退信。' },
  451: { name: '处理时发生本地错误',
    meaning: '请求的操作中止：处理时发生本地错误。也是常见的灰名单应答。',
    appears: 'MAIL、RCPT、DATA 结尾的应答',
    advice: '稍后用同一封邮件重试。' },
  452: { name: '系统存储空间不足',
    meaning: '请求的操作未执行：系统存储空间不足。对 RCPT 也表示本次事务的“收件人过多”。',
    appears: 'MAIL、RCPT、DATA 结尾的应答',
    advice: '稍后重试。对 RCPT：用已被接受的收件人完成本次事务，其余收件人放到后续事务中发送。' },
  454: { name: 'TLS 不可用 / 暂时性认证失败',
    meaning: '对 STARTTLS：由于暂时原因无法使用 TLS。对 AUTH：服务器的暂时故障使认证无法进行。',
    appears: 'STARTTLS、AUTH 的应答',
    advice: '稍后重试。绝不要因为 STARTTLS 失败就退回到用明文发送密码或邮件。' },
  455: { name: '服务器无法接受这些参数',
    meaning: '服务器目前无法接受 MAIL 或 RCPT 的参数（暂时情况）。',
    appears: 'MAIL、RCPT 的应答',
    advice: '稍后重试，或去掉这些参数。' },
  500: { name: '语法错误，命令无法识别',
    meaning: '服务器不认识这条命令，或命令行太长（RFC 4954：AUTH 行太长，5.5.6）。',
    appears: '任何命令的应答',
    advice: '检查命令动词的拼写、CRLF 行尾和行长度（含 CRLF 最多 512 个八位组）。' },
  501: { name: '参数语法错误',
    meaning: '命令能识别，但参数有误，例如 MAIL FROM 没有 <...>、EHLO 没有域名、AUTH 中的 base64 无效，或（QQ 邮箱）MAIL FROM 与已认证的用户不一致。',
    appears: '任何带参数命令的应答：EHLO、HELO、MAIL、RCPT、AUTH、STARTTLS',
    advice: '改正参数："MAIL FROM:<user@example.org>"，带尖括号，冒号后不加空格。' },
  502: { name: '命令未实现',
    meaning: '服务器认识这条命令但没有实现它（例如很老的服务器上的 EHLO、VRFY、EXPN）。',
    appears: '任何命令的应答',
    advice: '不用这条命令：EHLO 得到 502 时改用 HELO。' },
  503: { name: '命令顺序错误',
    meaning: '命令本身有效但时机不对：例如 MAIL 之前发 RCPT、没有被接受的 RCPT 就发 DATA、EHLO 之前发 MAIL、没有 RSET 就发第二个 MAIL，或发两次 AUTH。',
    appears: '任何命令的应答',
    advice: '按 RFC 5321 §4.3.2 的顺序：问候、EHLO、[STARTTLS、EHLO]、[AUTH]、MAIL、RCPT...、DATA、QUIT；每条命令都等到应答后再发下一条。' },
  504: { name: '命令参数未实现',
    meaning: '命令的某个参数不受支持，例如服务器未提供的 AUTH 机制。',
    appears: 'AUTH、MAIL、RCPT、EHLO 的应答',
    advice: '只使用 EHLO 应答中通告的内容（AUTH 只用列出的机制之一）。' },
  521: { name: '主机不接收邮件',
    meaning: '这台主机从不接收邮件（对每个连接都这样回答）。',
    appears: '问候（代替 220）',
    advice: '这不是邮件服务器：停止；检查主机和端口。' },
  523: { name: '需要加密',
    meaning: '所请求的认证机制只能在加密连接上使用（注册的增强状态码为 X.7.10）。',
    appears: 'AUTH 的应答',
    advice: '先启用 TLS（STARTTLS，或 465 端口上的隐式 TLS），或使用更强的机制。' },
  530: { name: '需要认证',
    meaning: '服务器要求先认证（或先启用 TLS）才能执行这条命令。Gmail 在 587 端口上："530 5.7.0 Must issue a STARTTLS command first"。',
    appears: 'AUTH 或 STARTTLS 之前 MAIL（以及 RCPT、DATA、AUTH）的应答',
    advice: '按服务器的要求，在 MAIL FROM 之前完成 STARTTLS（之后再发 EHLO）和 AUTH，然后重新开始事务。' },
  534: { name: '认证机制太弱',
    meaning: '所选的 AUTH 机制弱于服务器对该用户的策略要求。Gmail 也用 534 5.7.9 要求使用应用专用密码。',
    appears: 'AUTH 的应答',
    advice: '使用更强的机制（Gmail 则使用应用专用密码）。' },
  535: { name: '认证凭据无效',
    meaning: '用户名或密码被拒绝。',
    appears: 'AUTH 的应答（在凭据之后）',
    advice: '不要用同样的凭据重试（服务器会锁定账号）。检查用户名和 base64 编码；QQ 邮箱要用 16 位授权码，Gmail 要用应用专用密码，而不是账号密码。' },
  538: { name: '所请求的认证机制要求加密',
    meaning: '这种 AUTH 机制（例如 PLAIN 或 LOGIN，它们发送的密码可直接读出）只允许在 TLS 内使用。',
    appears: 'AUTH 的应答',
    advice: '先做 STARTTLS（之后再发 EHLO）或用隐式 TLS 连接，然后再 AUTH。' },
  550: { name: '邮箱不可用',
    meaning: '请求的操作未执行：邮箱不可用，例如不存在、无权访问，或命令或邮件因策略原因被拒绝（垃圾邮件、缺少 From 首部、频率限制）。',
    appears: 'RCPT（用户不存在）、MAIL（发件人被拒）、DATA 结尾（邮件被拒）的应答',
    advice: '对 RCPT：去掉这个收件人，保留其他收件人。对 MAIL 或 DATA 之后：邮件被拒绝；不要原样重发（读一读应答文本：例如缺少 From 首部）。' },
  551: { name: '用户非本地；请尝试 <forward-path>',
    meaning: '收件人不在这里接收；文本中可能给出应改用的地址。',
    appears: 'RCPT（以及 VRFY）的应答',
    advice: '去掉这个收件人（或改发到文本中给出的地址）。' },
  552: { name: '超出存储分配',
    meaning: '请求的邮件操作中止：超出存储分配，通常是邮件大于服务器接受的大小（见 EHLO 应答中的 SIZE）。',
    appears: 'DATA 结尾、带 SIZE= 的 MAIL、RCPT 的应答',
    advice: '按原样发送的邮件太大：把它变小。对 RCPT，按 452（收件人过多）处理：其余收件人稍后再发。' },
  553: { name: '邮箱名不允许',
    meaning: '请求的操作未执行：邮箱名不允许，例如地址语法错误，或此处不能使用该发件人地址。',
    appears: 'MAIL、RCPT 的应答',
    advice: '对 MAIL：改正发件人地址（语法，或使用已认证的账号）。对 RCPT：去掉或改正这个收件人。' },
  554: { name: '事务失败',
    meaning: '事务失败，通常因策略或内容原因被拒绝。作为问候时表示"No SMTP service here"（此处没有 SMTP 服务）。',
    appears: '问候；DATA 结尾、RCPT、MAIL 的应答',
    advice: '停止并报告服务器的文本；原样重发同一封邮件会以同样的方式失败。' },
  555: { name: 'MAIL FROM/RCPT TO 参数无法识别或未实现',
    meaning: 'MAIL 或 RCPT 中地址后面的某个参数（例如 SIZE=、BODY=、SMTPUTF8）不受支持。',
    appears: 'MAIL、RCPT 的应答',
    advice: '只发送 EHLO 应答中通告了的扩展的参数。' },
  556: { name: '域不接收邮件',
    meaning: '收件人的域完全不接收邮件（例如它发布了 "null MX"）。',
    appears: 'RCPT 的应答',
    advice: '去掉这个收件人：它的域从不接收邮件。' },
};

// prettier-ignore
/** 基本响应码的第一位：应答的种类。 */
export const ZH_FIRST_DIGITS: Readonly<Record<1 | 2 | 3 | 4 | 5, PartText>> = {
  1: { name: '肯定初步', meaning: '已接受，但之后还会有一个确认应答。没有 SMTP 命令使用它。' },
  2: { name: '肯定完成', meaning: '请求的操作已成功完成；可以发送新的请求。' },
  3: { name: '肯定中间', meaning: '到目前为止已接受；服务器在等待更多信息（DATA 之后的邮件、下一行 AUTH）。' },
  4: { name: '暂时否定完成', meaning: '未接受，但情况是暂时的：同一请求稍后可能成功。' },
  5: { name: '永久否定完成', meaning: '未接受，原样重复同一请求还会失败。' },
};

// prettier-ignore
/** 基本响应码的第二位：类别。 */
export const ZH_SECOND_DIGITS: Readonly<Record<0 | 1 | 2 | 3 | 4 | 5, PartText>> = {
  0: { name: '语法', meaning: '语法错误、不属于任何功能类别的命令、未实现或多余的命令。' },
  1: { name: '信息', meaning: '对信息请求（如状态或帮助）的应答。' },
  2: { name: '连接', meaning: '关于传输信道的应答。' },
  3: { name: '未指定', meaning: 'RFC 5321 未分配类别（由扩展使用，例如 AUTH 的应答）。' },
  4: { name: '未指定', meaning: 'RFC 5321 未分配类别。' },
  5: { name: '邮件系统', meaning: '接收方邮件系统对所请求的传送或其他邮件系统操作的状态。' },
};

/** 第三位：没有固定含义。 */
export const ZH_THIRD_DIGIT: PartText = {
  name: '细节',
  meaning: '在第二位数字的类别之内进一步细分含义。',
};

// prettier-ignore
/** RFC 3463 增强状态码的类别（第一个数）。 */
export const ZH_ENHANCED_CLASSES: Readonly<Record<2 | 4 | 5, PartText>> = {
  2: { name: '成功', meaning: '操作成功；细节部分可能报告为投递而做的转换。' },
  4: { name: '持续性暂时失败', meaning: '按原样发送的邮件是有效的，但暂时的情况使它现在无法投递；稍后发送可能成功。' },
  5: { name: '永久失败', meaning: '按当前形式重发邮件不会成功；必须改变邮件或目的地。' },
};

// prettier-ignore
/** 增强状态码的主题（第二个数）。 */
export const ZH_ENHANCED_SUBJECTS: Readonly<Record<0 | 1 | 2 | 3 | 4 | 5 | 6 | 7, PartText>> = {
  0: { name: '其他或未定义状态', meaning: '没有更多的主题信息。' },
  1: { name: '地址状态', meaning: '关于发件人或收件人地址：它的语法或有效性。通常发件方可以改正。' },
  2: { name: '邮箱状态', meaning: '关于收件人的邮箱，由收件人控制。' },
  3: { name: '邮件系统状态', meaning: '关于目的邮件系统，由其管理员控制。' },
  4: { name: '网络和路由状态', meaning: '关于网络或邮件的路由。' },
  5: { name: '邮件传递协议状态', meaning: '关于邮件传递协议（SMTP）本身：命令、语法、顺序。' },
  6: { name: '邮件内容或媒体状态', meaning: '关于邮件的内容或其转换。' },
  7: { name: '安全或策略状态', meaning: '关于安全或策略：认证、授权、加密、因策略拒绝。' },
};

// prettier-ignore
/** 增强状态码：RFC 3463 §3、RFC 4954 §6、RFC 5248。 */
export const ZH_ENHANCED_DETAILS: Readonly<Record<string, EnhancedDetailText>> = {
  'X.0.0': { name: '其他未定义状态', meaning: '只知道状态的类别。' },

  'X.1.0': { name: '其他地址状态', meaning: '地址的某个方面导致了这一状态。' },
  'X.1.1': { name: '收件人邮箱地址错误', meaning: '收件人邮箱不存在："@" 左边的部分无效。', advice: '检查收件人地址是否拼错；去掉这个收件人，保留其他收件人。' },
  'X.1.2': { name: '收件方系统地址错误', meaning: '目的系统不存在或无法接收邮件："@" 右边的部分无效。' },
  'X.1.3': { name: '收件人邮箱地址语法错误', meaning: '目的地址的语法无效。' },
  'X.1.4': { name: '收件人邮箱地址有歧义', meaning: '该地址在目的系统上匹配到不止一个收件人。' },
  'X.1.5': { name: '目的地址有效', meaning: '目的地址有效（与成功类别一起使用）。' },
  'X.1.6': { name: '收件人邮箱已迁移，无转发地址', meaning: '邮箱曾经存在但已不在，也不知道转发地址。' },
  'X.1.7': { name: '发件人邮箱地址语法错误', meaning: '发件人地址（MAIL FROM）的语法无效。', advice: '改正 MAIL FROM 地址：带尖括号、写完整地址、使用已认证的账号。' },
  'X.1.8': { name: '发件人系统地址错误', meaning: '发件人的域不存在或无法接收回信。' },

  'X.2.0': { name: '其他或未定义的邮箱状态', meaning: '邮箱存在，但它的某个方面导致了这一状态。' },
  'X.2.1': { name: '邮箱已停用，不接收邮件', meaning: '邮箱存在但不接收邮件。' },
  'X.2.2': { name: '邮箱已满', meaning: '收件人的邮箱超出了存储上限。' },
  'X.2.3': { name: '邮件长度超出管理限制', meaning: '邮件大于单个邮箱的限制。' },
  'X.2.4': { name: '邮件列表展开出错', meaning: '该邮箱是一个无法展开的邮件列表。' },

  'X.3.0': { name: '其他或未定义的邮件系统状态', meaning: '目的系统导致了这一状态。' },
  'X.3.1': { name: '邮件系统已满', meaning: '目的系统的存储空间已用尽。' },
  'X.3.2': { name: '系统不接收网络邮件', meaning: '主机现在不接收邮件（例如正在关机）。' },
  'X.3.3': { name: '系统不具备所选功能', meaning: '目的系统不支持这封邮件所请求的功能。' },
  'X.3.4': { name: '邮件对系统来说太大', meaning: '邮件大于整个系统的限制。', advice: '把邮件变小（见 EHLO 应答中的 SIZE）。' },
  'X.3.5': { name: '系统配置错误', meaning: '系统未配置为接收这封邮件。' },

  'X.4.0': { name: '其他或未定义的网络或路由状态', meaning: '网络中的某个问题导致了这一状态。' },
  'X.4.1': { name: '主机无应答', meaning: '向外的连接尝试没有得到应答。' },
  'X.4.2': { name: '连接不良', meaning: '连接已建立，但事务无法完成。' },
  'X.4.3': { name: '目录服务器故障', meaning: '路由所需的目录服务器（例如 DNS）不可用。' },
  'X.4.4': { name: '无法路由', meaning: '找不到通往目的地的路由。' },
  'X.4.5': { name: '邮件系统拥塞', meaning: '邮件系统拥塞；请稍后再试。' },
  'X.4.6': { name: '检测到路由环路', meaning: '邮件被转发了太多次（环路）。' },
  'X.4.7': { name: '投递时间已过期', meaning: '邮件被认为太旧，或其投递时间已用完。' },

  'X.5.0': { name: '其他或未定义的协议状态', meaning: '协议错误导致了这一状态。' },
  'X.5.1': { name: '无效命令', meaning: '命令顺序不对或不受支持。' },
  'X.5.2': { name: '语法错误', meaning: '命令无法解析。' },
  'X.5.3': { name: '收件人过多', meaning: '收件人数量超过服务器对一封邮件接受的上限。' },
  'X.5.4': { name: '命令参数无效', meaning: '命令的参数无效或不受支持。' },
  'X.5.5': { name: '协议版本错误', meaning: '协议版本协商失败。' },
  'X.5.6': { name: '认证交互行太长', meaning: '某一行 AUTH 超过了服务器接受的长度。' },

  'X.6.0': { name: '其他或未定义的媒体错误', meaning: '邮件内容的某个方面导致了这一状态。' },
  'X.6.1': { name: '不支持的媒体', meaning: '目的地不支持该内容类型或编码。' },
  'X.6.2': { name: '需要转换但被禁止', meaning: '内容必须转换后才能投递，但不允许转换。' },
  'X.6.3': { name: '需要转换但不支持', meaning: '内容必须转换，但系统做不到。' },
  'X.6.4': { name: '已进行有损转换', meaning: '邮件经过一次丢失了信息的转换后已投递。' },
  'X.6.5': { name: '转换失败', meaning: '尝试了转换但失败了。' },

  'X.7.0': { name: '其他或未定义的安全状态', meaning: '安全或策略问题；与 530 和 454 一起时通常表示“需要认证”或暂时性认证失败。', advice: '读一读服务器的文本：530（5.7.0）要求先 STARTTLS 或 AUTH；454（4.7.0）表示认证暂时失败。' },
  'X.7.1': { name: '投递未获授权，邮件被拒', meaning: '发件人无权向这个目的地发送（拒绝中继、策略或垃圾邮件拒绝）。', advice: '读一读服务器的文本：中继需要 AUTH；策略拒绝（垃圾邮件、缺少 From 首部）需要修改邮件。' },
  'X.7.2': { name: '禁止展开邮件列表', meaning: '发件人不能向这个邮件列表发送。' },
  'X.7.3': { name: '需要安全转换但无法进行', meaning: '需要在安全消息协议之间转换，但无法进行。' },
  'X.7.4': { name: '不支持的安全功能', meaning: '不支持为这封邮件请求的安全功能。' },
  'X.7.5': { name: '密码运算失败', meaning: '某个密码运算（例如解密或验证）失败。' },
  'X.7.6': { name: '不支持的密码算法', meaning: '不支持所请求的密码算法。' },
  'X.7.7': { name: '邮件完整性失败', meaning: '发现邮件已损坏。' },
  'X.7.8': { name: '认证凭据无效', meaning: 'AUTH 的用户名或密码被拒绝。', advice: '不要用同样的凭据重试。QQ 邮箱要用授权码，Gmail 要用应用专用密码。' },
  'X.7.9': { name: '认证机制太弱', meaning: 'AUTH 机制弱于策略要求。', advice: '使用更强的 AUTH 机制（Gmail：使用应用专用密码）。' },
  'X.7.10': { name: '需要加密', meaning: '使用所请求的认证机制需要加密连接。', advice: '先启用 TLS，然后再 AUTH。' },
  'X.7.11': { name: '所请求的认证机制要求加密', meaning: '这种 AUTH 机制只能在 TLS 上使用。', advice: '先做 STARTTLS（之后再发 EHLO）或使用隐式 TLS，然后再 AUTH。' },
  'X.7.12': { name: '需要过渡密码', meaning: '用户必须先更改或重新建立密码（例如先用一次明文机制），这种机制才能使用。' },
};
