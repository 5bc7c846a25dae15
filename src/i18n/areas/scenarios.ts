/**
 * The scenario loader's problems (src/scenarios/), English and 简体中文 side by side. Keys start with
 * `scenario.`; the loader keeps each problem as a key and its values (src/scenarios/phrase.ts) and
 * renders it in the command's language; the English is ScenarioError's message, byte for byte what
 * the loader always wrote. Field paths, keys, values and protocol words stay as written in the file.
 * `{expected}`, `{value}` and `{hint}` are themselves messages of this area (or text as written).
 */
export const en = {
  // How a value found in the file is named (src/scenarios/checker.ts describe)
  'scenario.value.nothing': 'nothing',
  'scenario.value.mapping': 'a mapping',
  'scenario.value.list': 'a list',
  'scenario.value.unknown': 'an unknown value',

  // src/scenarios/suggest.ts
  'scenario.didYouMean': 'did you mean {first}?',
  'scenario.didYouMeanEither': 'did you mean {first} or {second}?',

  // src/scenarios/checker.ts: a value of the wrong kind
  'scenario.missing': 'missing (expected {expected})',
  'scenario.moreProblems': '{count} more problems not listed (expected at most {max}; fix these first)',
  'scenario.alias.unknown': 'unknown alias *{name} (expected an anchor defined earlier)',
  'scenario.alias.tooMany':
    'too many values reached through aliases: more than {max} (expected aliases used a few times, not nested lists of aliases; write the values out)',
  'scenario.notMapping': '{value} is not a mapping (expected {expected})',
  'scenario.key.notName': 'key {value} is not a name (expected one of: {allowed})',
  'scenario.key.duplicate': 'duplicate key, first written on line {line} (expected each key once)',
  'scenario.key.unknown': 'unknown key {key} (expected one of: {allowed})',
  'scenario.key.unknownHint': 'unknown key {key}, {hint} (expected one of: {allowed})',
  'scenario.notList': '{value} is not a list (expected {expected})',
  'scenario.notString': '{value} is not a string (expected {expected})',
  'scenario.empty': 'is empty (expected {expected})',
  'scenario.notBoolean': '{value} is not a boolean (expected true or false)',
  'scenario.notNumber': '{value} is not a number (expected {expected})',
  'scenario.notInteger': '{value} is not an integer (expected {expected})',
  'scenario.outOfRange': '{value} is out of range (expected {expected})',
  'scenario.oneOf.notAllowed': '{value} is not allowed (expected one of: {values})',
  'scenario.oneOf.notAllowedHint': '{value} is not allowed, {hint} (expected one of: {values})',
  'scenario.oneOf.notWord': '{value} is not a word (expected one of: {values})',
  'scenario.oneOf.notWordHint': '{value} is not a word, {hint} (expected one of: {values})',

  // What a field expects, as the checker words it unless the reader says more
  'scenario.expect.mapping': 'a mapping',
  'scenario.expect.string': 'a string',
  'scenario.expect.nonEmptyString': 'a non-empty string',
  'scenario.expect.integer': 'an integer',
  'scenario.expect.number': 'a number',
  'scenario.expect.integerFromTo': 'an integer from {min} to {max}',
  'scenario.expect.numberFromTo': 'a number from {min} to {max}',
  'scenario.expect.integerBounded': 'an integer {bounds}',
  'scenario.expect.numberBounded': 'a number {bounds}',
  'scenario.bound.above': '> {n}',
  'scenario.bound.min': '>= {n}',
  'scenario.bound.max': '<= {n}',
  'scenario.bound.and': '{first} and {second}',

  // src/scenarios/localized.ts: a text in one or both languages
  'scenario.expect.orPerLang': '{expected}, or {en: ..., zh-CN: ...}',
  'scenario.expect.perLang': '{expected} per language: {en: ..., zh-CN: ...}',
  'scenario.localized.empty': 'is an empty mapping (expected {expected} in en, zh-CN or both)',

  // src/scenarios/document.ts: the file as a whole, its top level, extends
  'scenario.yaml.error': 'YAML syntax error: {reason} (valid YAML)',
  'scenario.yaml.warning': 'YAML problem: {reason} (valid YAML)',
  'scenario.file.tooBig': 'the file is {bytes} bytes (expected a scenario file of at most {max} bytes)',
  'scenario.file.tooDeep': 'nested too deeply for the YAML parser (expected a scenario a few levels deep)',
  'scenario.file.empty': 'the file is empty (expected {expected})',
  'scenario.file.notRegular': 'is not a regular file (expected a YAML scenario file)',
  'scenario.file.noImage': 'no file at {path} (expected a file path relative to the scenario file)',
  'scenario.file.noTranscript':
    'no file at {path} (expected a file path relative to the scenario file; smtp-lab record writes one)',
  'scenario.id.notFileName': "{id} does not match the file name (expected {base}, the file's base name)",
  'scenario.expect.top': 'a mapping with at least id, title, lesson and checks',
  'scenario.expect.lesson': 'a non-empty string: the lesson in about two sentences',
  'scenario.expect.rules': 'a list of rules',
  'scenario.expect.faults': 'a list of faults',
  'scenario.expect.checks': 'a non-empty list of checks, each with an id and points',
  'scenario.expect.filePath': 'a file path relative to the scenario file',
  'scenario.extends.notFile':
    'names a scenario, which only a file can extend (expected this scenario loaded from its file)',
  'scenario.extends.notFound':
    'no scenario {id} next to this file or built in (expected the id of a scenario to build on)',
  'scenario.extends.notFoundHint':
    'no scenario {id} next to this file or built in, {hint} (expected the id of a scenario to build on)',
  'scenario.extends.cycle': '{id} is already being extended: {cycle} (expected no cycle)',
  'scenario.reference.both':
    'is the old spelling of reference, which this file also gives (expected only reference)',

  // src/scenarios/read-values.ts: ids, sizes, words, delays
  'scenario.expect.kebab':
    'a kebab-case id: lowercase letters, digits and single hyphens, like fragmented-replies',
  'scenario.notKebab': '{value} is not kebab-case (expected {expected})',
  'scenario.check.unknown': 'unknown check id {id} (smtp-lab checks lists them all)',
  'scenario.check.unknownHint': 'unknown check id {id}, {hint} (smtp-lab checks lists them all)',
  'scenario.expect.replyCode': 'a reply code from 200 to 599',
  'scenario.expect.ms': 'milliseconds, an integer from 0 to {max} (the longest timer Node.js can set)',
  'scenario.expect.msSinceConnect':
    'milliseconds since connect, an integer from 0 to {max} (the longest timer Node.js can set)',
  'scenario.expect.msBetween':
    'milliseconds between pieces, an integer from 0 to {max} (the longest timer Node.js can set)',
  'scenario.expect.size': 'a number of bytes, or a number with K, M or G, like 25M',
  'scenario.notSize': 'this is not a size (expected {expected})',
  'scenario.size.notASize': '{value} is not a size (expected {expected})',
  'scenario.size.outOfRange': '{value} is out of range (expected {expected}, at least 1 byte)',
  'scenario.word.notAllowed': '{value} is not allowed (expected {expected})',
  'scenario.emptyList': 'is an empty list (expected {expected})',

  // src/scenarios/read-sections.ts: server, client
  'scenario.server.requireTlsNoTls':
    'true, but the server offers no TLS (expected server.tls: starttls or implicit)',
  'scenario.server.noTlsRequired':
    'none, but the scenario extended requires TLS (expected starttls or implicit, or require-tls: false here)',
  'scenario.expect.mechanisms': 'a non-empty list of AUTH mechanisms from: {mechanisms}',
  'scenario.server.noMechanisms': 'is an empty list (expected {expected}; use auth: off for no AUTH)',
  'scenario.server.mechanismUnknown': '{value} is not offered by the lab server (expected {expected})',
  'scenario.expect.accounts': 'a list of accounts, like [{user: a@b.test, pass: secret}]',
  'scenario.server.noAccounts': 'is an empty list (expected at least one account {user, pass})',
  'scenario.expect.account': 'a mapping {user, pass}',
  'scenario.expect.greylist': 'true, false, or {retry-after-ms: N}',
  'scenario.server.notGreylist': '{value} is not a greylist setting (expected {expected})',
  'scenario.expect.address': 'an address',
  'scenario.expect.addresses': 'an address, or a non-empty list of addresses',

  // src/scenarios/read-checks.ts
  'scenario.expect.preset': '{preset}, or {preset}: { except: [baseline check ids] }',
  'scenario.expect.presetOptions': '{ except: [baseline check ids] }',
  'scenario.expect.except': 'a list of baseline checks to leave out, from: {ids}',
  'scenario.check.notBaseline': '{id} is not in {preset} (expected {expected})',
  'scenario.check.presetTwice': '{preset} is already in this list (expected it once)',
  'scenario.check.presetExtends':
    '{preset} in a file that extends another (expected only checks that change or add to the checks it inherits)',
  'scenario.check.notCheck':
    '{value} is not a check (expected a check {id, points, tier, hint}, or {preset} for the baseline checks)',
  'scenario.check.notCheckHint':
    '{value} is not a check, {hint} (expected a check {id, points, tier, hint}, or {preset} for the baseline checks)',
  'scenario.expect.check': 'a check {id, points, tier, hint}',
  'scenario.expect.checkId': 'a check id from the rubric, like reads-whole-replies',
  'scenario.check.duplicate': 'duplicate check id {id}, first used on line {line} (expected each check once)',
  'scenario.check.leftOut':
    '{id} is left out of {preset} on line {line} (expected either; to change its points, keep it in {preset})',

  // src/scenarios/read-faults.ts: rules, faults, replies
  'scenario.expect.wordOrKey': '{words}, or a mapping with one of: {keys}',
  'scenario.expect.oneOf': 'one of: {values}',
  'scenario.expect.reply': 'a reply {code, text}',
  'scenario.expect.replyText': 'a string, or a list of strings for a multi-line reply',
  'scenario.expect.replyLines': 'a non-empty list of reply lines',
  'scenario.reply.lineBreak': 'contains a line break (expected one line; write a list for several lines)',
  'scenario.expect.rule': 'a rule {when, match, not-match, nth, reply}',
  'scenario.expect.pattern':
    'a regular expression in RE2 syntax: linear time, so no lookaround or backreferences; write not-match for "anything but"',
  'scenario.pattern.tooLong': 'is {length} characters long (expected at most {max}: {expected})',
  'scenario.pattern.invalid': 'is not a valid regular expression: {reason} (expected {expected})',
  'scenario.trigger.not': '{value} is not a trigger (expected {expected})',
  'scenario.trigger.notHint': '{value} is not a trigger, {hint} (expected {expected})',
  'scenario.trigger.twoKeys': 'a trigger can have one key, this one has {keys} (expected {expected})',
  'scenario.action.not': '{value} is not an action (expected {expected})',
  'scenario.action.notHint': '{value} is not an action, {hint} (expected {expected})',
  'scenario.action.twoKeys': 'an action can have one key, this one has {keys} (expected {expected})',
  'scenario.keysAnd': '{first} and {second}',
  'scenario.expect.commandNumber': 'the command number, an integer >= 1 (1 = the first)',
  'scenario.expect.verb': 'a command verb, like EHLO or RCPT',
  'scenario.expect.dataByte': 'a byte offset into the DATA, an integer >= 0',
  'scenario.expect.fragment': 'a mapping {size, gap-ms}',
  'scenario.expect.pieceSize': 'bytes per piece, an integer >= 1',
  'scenario.expect.bytesPerSecond': 'bytes per second, an integer >= 1',
  'scenario.expect.garbage': 'the text to inject, a non-empty string',
  'scenario.expect.fault': 'a fault {on, do, times, connections, chance}',
  'scenario.expect.connections': 'a list of connection numbers, integers >= 1 (1 = the first connection)',
  'scenario.fault.noConnections': 'is an empty list (expected {expected}; leave it out for every connection)',
  'scenario.expect.chance': 'a probability, a number > 0 and <= 1',
  'scenario.fault.needsSeed':
    'needs a seed (expected a top-level `seed: <integer>`, so every run replays the same faults)',

  // src/scenarios/errors.ts: an id no built-in scenario has
  'scenario.unknownId.closest': 'unknown scenario {id} (closest: {ids}; or give the path of a .yaml file)',
  'scenario.unknownId.builtin': 'unknown scenario {id} (built-in: {ids}; or give the path of a .yaml file)',
} as const;

export const zhCN: { readonly [K in keyof typeof en]: string } = {
  'scenario.value.nothing': '空值',
  'scenario.value.mapping': '一个映射',
  'scenario.value.list': '一个列表',
  'scenario.value.unknown': '未知的值',

  'scenario.didYouMean': '是不是想写 {first}？',
  'scenario.didYouMeanEither': '是不是想写 {first} 或 {second}？',

  'scenario.missing': '缺少这一项（应为{expected}）',
  'scenario.moreProblems': '还有 {count} 个问题没有列出（最多列出 {max} 个；请先改正这些）',
  'scenario.alias.unknown': '未知的别名 *{name}（应为前面定义过的锚点）',
  'scenario.alias.tooMany':
    '通过别名引用的值太多：超过 {max} 个（别名应只用几次，不要嵌套别名列表；请把值直接写出来）',
  'scenario.notMapping': '{value} 不是映射（应为{expected}）',
  'scenario.key.notName': '键 {value} 不是名称（应为以下之一：{allowed}）',
  'scenario.key.duplicate': '重复的键，第一次写在第 {line} 行（每个键只能写一次）',
  'scenario.key.unknown': '未知的键 {key}（应为以下之一：{allowed}）',
  'scenario.key.unknownHint': '未知的键 {key}，{hint}（应为以下之一：{allowed}）',
  'scenario.notList': '{value} 不是列表（应为{expected}）',
  'scenario.notString': '{value} 不是字符串（应为{expected}）',
  'scenario.empty': '为空（应为{expected}）',
  'scenario.notBoolean': '{value} 不是布尔值（应为 true 或 false）',
  'scenario.notNumber': '{value} 不是数字（应为{expected}）',
  'scenario.notInteger': '{value} 不是整数（应为{expected}）',
  'scenario.outOfRange': '{value} 超出范围（应为{expected}）',
  'scenario.oneOf.notAllowed': '{value} 不是允许的值（应为以下之一：{values}）',
  'scenario.oneOf.notAllowedHint': '{value} 不是允许的值，{hint}（应为以下之一：{values}）',
  'scenario.oneOf.notWord': '{value} 不是一个词（应为以下之一：{values}）',
  'scenario.oneOf.notWordHint': '{value} 不是一个词，{hint}（应为以下之一：{values}）',

  'scenario.expect.mapping': '映射',
  'scenario.expect.string': '字符串',
  'scenario.expect.nonEmptyString': '非空字符串',
  'scenario.expect.integer': '整数',
  'scenario.expect.number': '数字',
  'scenario.expect.integerFromTo': '从 {min} 到 {max} 的整数',
  'scenario.expect.numberFromTo': '从 {min} 到 {max} 的数字',
  'scenario.expect.integerBounded': '满足 {bounds} 的整数',
  'scenario.expect.numberBounded': '满足 {bounds} 的数字',
  'scenario.bound.above': '> {n}',
  'scenario.bound.min': '>= {n}',
  'scenario.bound.max': '<= {n}',
  'scenario.bound.and': '{first} 且 {second}',

  'scenario.expect.orPerLang': '{expected}，或 {en: ..., zh-CN: ...}',
  'scenario.expect.perLang': '每种语言一个{expected}：{en: ..., zh-CN: ...}',
  'scenario.localized.empty': '是空映射（应在 en、zh-CN 或两者中给出{expected}）',

  'scenario.yaml.error': 'YAML 语法错误：{reason}（应为合法的 YAML）',
  'scenario.yaml.warning': 'YAML 问题：{reason}（应为合法的 YAML）',
  'scenario.file.tooBig': '文件有 {bytes} 字节（场景文件最多 {max} 字节）',
  'scenario.file.tooDeep': '嵌套太深，YAML 解析器无法处理（场景只应嵌套几层）',
  'scenario.file.empty': '文件是空的（应为{expected}）',
  'scenario.file.notRegular': '不是普通文件（应为 YAML 场景文件）',
  'scenario.file.noImage': '{path} 处没有文件（应为相对于场景文件的文件路径）',
  'scenario.file.noTranscript':
    '{path} 处没有文件（应为相对于场景文件的文件路径；smtp-lab record 会写出这个文件）',
  'scenario.id.notFileName': '{id} 与文件名不一致（应为 {base}，即文件的基本名）',
  'scenario.expect.top': '至少含有 id、title、lesson 和 checks 的映射',
  'scenario.expect.lesson': '非空字符串：用两句左右写出这一课的要点',
  'scenario.expect.rules': '规则列表',
  'scenario.expect.faults': '故障列表',
  'scenario.expect.checks': '非空的检查项列表，每项含 id 和 points',
  'scenario.expect.filePath': '相对于场景文件的文件路径',
  'scenario.extends.notFile': '指定了要扩展的场景，但只有从文件加载的场景才能扩展（应从文件加载这个场景）',
  'scenario.extends.notFound': '这个文件旁边和内置场景中都没有场景 {id}（应为要扩展的场景的 id）',
  'scenario.extends.notFoundHint': '这个文件旁边和内置场景中都没有场景 {id}，{hint}（应为要扩展的场景的 id）',
  'scenario.extends.cycle': '{id} 已经在扩展链中：{cycle}（扩展不能成环）',
  'scenario.reference.both': '是 reference 的旧写法，而这个文件也写了 reference（只应写 reference）',

  'scenario.expect.kebab': 'kebab-case 形式的 id：小写字母、数字和单个连字符，如 fragmented-replies',
  'scenario.notKebab': '{value} 不是 kebab-case 形式（应为{expected}）',
  'scenario.check.unknown': '未知的检查项 id {id}（smtp-lab checks 会列出全部检查项）',
  'scenario.check.unknownHint': '未知的检查项 id {id}，{hint}（smtp-lab checks 会列出全部检查项）',
  'scenario.expect.replyCode': '200 到 599 之间的响应码',
  'scenario.expect.ms': '毫秒数，从 0 到 {max} 的整数（Node.js 能设置的最长定时器）',
  'scenario.expect.msSinceConnect':
    '自连接建立起的毫秒数，从 0 到 {max} 的整数（Node.js 能设置的最长定时器）',
  'scenario.expect.msBetween': '两段之间的毫秒数，从 0 到 {max} 的整数（Node.js 能设置的最长定时器）',
  'scenario.expect.size': '字节数，或带 K、M、G 的数，如 25M',
  'scenario.notSize': '这不是大小（应为{expected}）',
  'scenario.size.notASize': '{value} 不是大小（应为{expected}）',
  'scenario.size.outOfRange': '{value} 超出范围（应为{expected}，至少 1 字节）',
  'scenario.word.notAllowed': '{value} 不是允许的值（应为{expected}）',
  'scenario.emptyList': '是空列表（应为{expected}）',

  'scenario.server.requireTlsNoTls': '为 true，但服务器不提供 TLS（应写 server.tls: starttls 或 implicit）',
  'scenario.server.noTlsRequired':
    '为 none，但所扩展的场景要求 TLS（应为 starttls 或 implicit，或在这里写 require-tls: false）',
  'scenario.expect.mechanisms': '非空的 AUTH 机制列表，可选：{mechanisms}',
  'scenario.server.noMechanisms': '是空列表（应为{expected}；不提供 AUTH 请写 auth: off）',
  'scenario.server.mechanismUnknown': '实验服务器不提供 {value}（应为{expected}）',
  'scenario.expect.accounts': '账户列表，如 [{user: a@b.test, pass: secret}]',
  'scenario.server.noAccounts': '是空列表（应至少有一个账户 {user, pass}）',
  'scenario.expect.account': '映射 {user, pass}',
  'scenario.expect.greylist': 'true、false 或 {retry-after-ms: N}',
  'scenario.server.notGreylist': '{value} 不是灰名单设置（应为{expected}）',
  'scenario.expect.address': '地址',
  'scenario.expect.addresses': '一个地址，或非空的地址列表',

  'scenario.expect.preset': '{preset}，或 {preset}: { except: [基本检查项 id] }',
  'scenario.expect.presetOptions': '{ except: [基本检查项 id] }',
  'scenario.expect.except': '要去掉的基本检查项列表，可选：{ids}',
  'scenario.check.notBaseline': '{id} 不在 {preset} 中（应为{expected}）',
  'scenario.check.presetTwice': '{preset} 已在这个列表中（只应写一次）',
  'scenario.check.presetExtends': '扩展其他场景的文件中写了 {preset}（只应写修改或补充所继承检查项的条目）',
  'scenario.check.notCheck':
    '{value} 不是检查项（应为检查项 {id, points, tier, hint}，或代表基本检查项的 {preset}）',
  'scenario.check.notCheckHint':
    '{value} 不是检查项，{hint}（应为检查项 {id, points, tier, hint}，或代表基本检查项的 {preset}）',
  'scenario.expect.check': '检查项 {id, points, tier, hint}',
  'scenario.expect.checkId': '评分标准中的检查项 id，如 reads-whole-replies',
  'scenario.check.duplicate': '重复的检查项 id {id}，第一次用在第 {line} 行（每个检查项只能写一次）',
  'scenario.check.leftOut':
    '{id} 在第 {line} 行已从 {preset} 中去掉（两者只能取其一；要修改它的分数，请把它留在 {preset} 中）',

  'scenario.expect.wordOrKey': '{words}，或含以下键之一的映射：{keys}',
  'scenario.expect.oneOf': '以下之一：{values}',
  'scenario.expect.reply': '应答 {code, text}',
  'scenario.expect.replyText': '字符串，或多行应答的字符串列表',
  'scenario.expect.replyLines': '非空的应答行列表',
  'scenario.reply.lineBreak': '含有换行（应为一行；多行请写成列表）',
  'scenario.expect.rule': '规则 {when, match, not-match, nth, reply}',
  'scenario.expect.pattern':
    'RE2 语法的正则表达式：线性时间，所以不支持环视和反向引用；“除此之外都匹配”请写 not-match',
  'scenario.pattern.tooLong': '长 {length} 个字符（最多 {max} 个：{expected}）',
  'scenario.pattern.invalid': '不是合法的正则表达式：{reason}（应为{expected}）',
  'scenario.trigger.not': '{value} 不是触发条件（应为{expected}）',
  'scenario.trigger.notHint': '{value} 不是触发条件，{hint}（应为{expected}）',
  'scenario.trigger.twoKeys': '触发条件只能有一个键，这里有 {keys}（应为{expected}）',
  'scenario.action.not': '{value} 不是动作（应为{expected}）',
  'scenario.action.notHint': '{value} 不是动作，{hint}（应为{expected}）',
  'scenario.action.twoKeys': '动作只能有一个键，这里有 {keys}（应为{expected}）',
  'scenario.keysAnd': '{first} 和 {second}',
  'scenario.expect.commandNumber': '命令序号，>= 1 的整数（1 为第一条命令）',
  'scenario.expect.verb': '命令动词，如 EHLO 或 RCPT',
  'scenario.expect.dataByte': 'DATA 中的字节偏移，>= 0 的整数',
  'scenario.expect.fragment': '映射 {size, gap-ms}',
  'scenario.expect.pieceSize': '每段的字节数，>= 1 的整数',
  'scenario.expect.bytesPerSecond': '每秒字节数，>= 1 的整数',
  'scenario.expect.garbage': '要注入的文本，非空字符串',
  'scenario.expect.fault': '故障 {on, do, times, connections, chance}',
  'scenario.expect.connections': '连接序号列表，>= 1 的整数（1 为第一个连接）',
  'scenario.fault.noConnections': '是空列表（应为{expected}；要作用于每个连接请去掉这一项）',
  'scenario.expect.chance': '概率，> 0 且 <= 1 的数',
  'scenario.fault.needsSeed': '需要种子（应在顶层写 `seed: <integer>`，让每次运行重放相同的故障）',

  'scenario.unknownId.closest': '没有场景 {id}（最接近的：{ids}；也可以给出 .yaml 文件的路径）',
  'scenario.unknownId.builtin': '没有场景 {id}（内置场景：{ids}；也可以给出 .yaml 文件的路径）',
};
