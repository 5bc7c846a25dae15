/**
 * Messages printed by src/grader/ (and what it renders), English and 简体中文 side by side. Keys start
 * with `grader.` (what a run and a batch find out: diagnosis, start errors, floods, statuses) or
 * `report.` (the fixed text of every report format); en.ts and zh-CN.ts merge every area, and
 * test/i18n/catalogue.test.ts checks that no two areas share a key.
 */
export const en = {
  // src/grader/diagnosis.ts: the run-level cause, one whole sentence per case
  'grader.diagnosis.missingFile':
    'no such file: {files}, so the client stopped before connecting; no connection reached the lab server on {host}:{port} (the client tried to connect elsewhere or crashed first)',
  'grader.diagnosis.timedOut':
    'no connection reached the lab server on {host}:{port} (the client tried to connect elsewhere or crashed first); it was killed at the time limit without ever connecting',
  'grader.diagnosis.flooded':
    'no connection reached the lab server on {host}:{port} (the client tried to connect elsewhere or crashed first); it was killed ({why})',
  'grader.diagnosis.signal':
    'no connection reached the lab server on {host}:{port} (the client tried to connect elsewhere or crashed first); it was killed by {signal}',
  'grader.diagnosis.exitCrash':
    'no connection reached the lab server on {host}:{port} (the client tried to connect elsewhere or crashed first); it exited with status {code}: {crash}',
  'grader.diagnosis.exit':
    'no connection reached the lab server on {host}:{port} (the client tried to connect elsewhere or crashed first); it exited with status {code}',
  'grader.diagnosis.exitZero':
    'no connection reached the lab server on {host}:{port} (the client tried to connect elsewhere or crashed first); it exited with status 0 without connecting',
  'grader.diagnosis.tlsStarttls':
    "the client's first bytes on {host}:{port} are a TLS handshake (ClientHello), but this port speaks plaintext first; the scenario is STARTTLS: connect in plaintext, read the 220 greeting, send EHLO, then STARTTLS, and start TLS only after its 220",
  'grader.diagnosis.tlsPlain':
    "the client's first bytes on {host}:{port} are a TLS handshake (ClientHello), but this port speaks plaintext first; the scenario is plaintext: connect without TLS, read the 220 greeting, then send EHLO",
  'grader.diagnosis.notJudged': 'not judged: {reason}',
  'grader.output.earlierLines': '[{count} earlier lines not shown]',

  // src/grader/run.ts: a program that could not be started, and the output flood guard
  'grader.start.notFound': 'could not start {program}: no such program ({detail})',
  'grader.start.notOnPath': 'could not start {program}: no such program (not on PATH) ({detail})',
  'grader.start.denied': 'could not start {program}: permission denied: not executable ({detail})',
  'grader.start.other': 'could not start {program}: {detail}',
  'grader.flood.output': 'printed more than {size}',

  // src/grader/guard.ts: why a client was killed for its traffic
  'grader.flood.sessions': 'opened more than {count} connections',
  'grader.flood.bytes': 'more than {size} crossed the wire',
  'grader.flood.items': 'sent more than {count} lines and commands',
  // formatBytes: a size under 1 KiB (KiB and MiB are the same symbols in every language)
  'grader.size.bytes': '{count} bytes',
  // src/grader/batch.ts: a grade-all that cannot start (UsageError, exit 2)
  'grader.batch.shellOperator':
    "the command contains the shell operator '{operator}', but no shell runs it: use sh -c '...' if you need one",
  'grader.batch.loneBackslash': 'the command ends with a lone backslash',
  'grader.batch.unterminatedQuote': 'the command has an unterminated {quote} quote',
  'grader.batch.emptyCommand': 'the command is empty',
  'grader.batch.submissionsUnreadable': 'cannot read the submissions folder {dir}: {reason}',
  'grader.batch.noScenario': 'no scenario to grade with',
  'grader.batch.sandboxNetwork':
    'sandboxed grading must run in a loopback-only network namespace (enterLoopbackNetwork, as the CLI does)',
  // src/grader/merge.ts: shards that cannot be merged (UsageError, exit 2)
  'grader.merge.noShard': 'name at least one shard folder to merge',
  'grader.merge.outIsShard': 'the out-dir {dir} is also a shard: choose another --out',
  'grader.merge.notOutDir': '{dir} is not a grade-all out-dir: {reason}',
  'grader.merge.empty': '{dir}/batch.json has no students or scenarios',
  'grader.merge.otherOptions':
    '{dir} was graded with other scenarios or options than {first}: {options} vs {firstOptions}',
  'grader.merge.otherCount': '{dir} is shard {index}/{of}, the others are of {count}',
  'grader.merge.twice': 'shard {shard} given twice: {first} and {second}',
  'grader.merge.missing.one': 'shard {shards} missing: merge all N shards of a grading',
  'grader.merge.missing.other': 'shards {shards} missing: merge all N shards of a grading',
  'grader.merge.studentTwice': 'student {student} is in {first} and in {second}',
  // src/grader/normalise.ts: an expected transcript (matches-reference) that cannot be used
  'grader.reference.notJson': '{file}: not JSON ({reason})',
  'grader.reference.notReference': '{file}: not an expected transcript (no "format": {format})',
  'grader.reference.version': '{file}: version {version} is not supported (expected 1)',
  'grader.reference.scenario': '{file}: "scenario" must be a string',
  'grader.reference.sessions': '{file}: "sessions" must be a list of {shape}',
  // src/grader/sandbox.ts: why --sandbox cannot be honoured on this machine
  'grader.sandbox.noBwrap':
    "--sandbox needs bubblewrap (bwrap), which is not installed: install the Debian/Ubuntu package 'bubblewrap' (apt-get install bubblewrap), or grade without --sandbox",
  'grader.sandbox.noNamespaces':
    '--sandbox: bubblewrap cannot make namespaces on this machine ({why}); a container may need user namespaces allowed (Ubuntu: sysctl kernel.apparmor_restrict_unprivileged_userns=0)',
  'grader.sandbox.stillNetworked': 're-executed for --sandbox but the network still has {interfaces}',
  'grader.sandbox.seesNetwork':
    'a sandboxed client would see the network ({interfaces}): grade from a loopback-only network namespace (enterLoopbackNetwork, as the CLI does)',

  // src/grader/guard.ts: what a report leaves out of a huge session
  'grader.report.linesLeftOut': '{count} more lines left out of this report',
  'grader.report.eventsLeftOut':
    '{count} more events ({size}) left out of this report; the run folder keeps them',

  // src/grader/batch.ts: one scenario's outcome for a student (statusText), as a list of facts
  'grader.status.graderError': 'grader error: {error}',
  'grader.status.missing': 'missing {files}',
  'grader.status.crashedBefore': 'crashed before connecting ({how})',
  'grader.status.neverConnected': 'never connected ({how})',
  'grader.status.killedTimeLimit': 'killed at the time limit',
  'grader.status.tls': 'spoke TLS to the plaintext port',
  'grader.status.checksFailed.one': '{count} check failed',
  'grader.status.checksFailed.other': '{count} checks failed',
  'grader.status.truncated': 'output truncated',
  'grader.status.allPassed': 'all checks passed',
  'grader.status.notRun': 'not run',
  'grader.status.graderFailed': "smtp-lab: the grader failed on this run (not the client's fault): {error}",
  // summaryText: a student's line over every scenario
  'grader.summary.everyScenario': '{text} (every scenario)',
  'grader.summary.group': '{text}: {scenarios}',
  'grader.summary.separator': '; ',
  // summaryTable (summary.txt and grade-all's stdout)
  'grader.table.footer.one': '{count} student: {counts}',
  'grader.table.footer.other': '{count} students: {counts}',
  'grader.table.count': '{count} {status}',

  // every format: how the client ended
  'report.client.exit': 'exit {code}',
  'report.client.crash': 'exit {code}: {crash}',
  'report.client.timedOut': 'killed at the time limit ({seconds} s)',
  'report.client.flooded': 'killed: {why}',
  'report.client.signal': 'killed by {signal}',
  'report.client.sandboxed': '{how}, sandboxed',
  'report.clientTest.title': 'the client process runs to its end',
  'report.failed': 'failed',
  'report.none': 'none',
  'report.listSeparator': ', ',

  // src/grader/report.ts: formatChecks (grade's text report, lab's verdicts)
  'report.tier.heading': '{tier}:',
  'report.na': 'n/a',
  'report.label.note': 'note:',
  'report.label.why': 'why:',
  'report.label.hint': 'hint:',
  'report.labelled': '{label} {text}',
  'report.score': 'score {score}/{maxScore}',

  // src/grader/formats.ts: text
  'report.text.client': 'client: {command}  ({how})',
  'report.text.cause': 'cause: {text}',
  'report.text.tampered':
    '*** tampering: {file} was changed after the server stored it (sha256 {found}, stored {expected}); judged from what the server received',
  'report.text.stderr': 'client stderr:',
  'report.text.total': 'total {score}/{maxScore}',
  // plain-text failure (Gradescope test output, JUnit failure body)
  'report.plain.why': 'why: {note}',
  'report.plain.note': 'note: {note}',
  'report.plain.transcript': 'transcript {ref}: {text}',
  'report.plain.hint': 'hint: {hint}',
  // Gradescope's Markdown output
  'report.gradescope.scenario': '**{scenario}**: {score}/{maxScore} ({how})',
  'report.gradescope.cause': 'Cause: {text}',
  'report.gradescope.stderr': 'Client output (stderr):',
  // TAP comments
  'report.tap.scenarioScore': '{scenario}: score {score}/{maxScore}',

  // src/grader/report-html.ts: one student's report
  'report.html.killedTimeLimit': 'killed after the time limit ({ms} ms)',
  'report.html.didNotStart': 'did not start',
  'report.html.truncated': '{how}, output truncated',
  'report.html.client': 'client: {command} ({how})',
  'report.html.noChecks': 'No check was judged (see the client output).',
  'report.html.conversation': 'Conversation {n} of {total}: session {id} · {rows} rows · {seconds} s',
  'report.html.clickRow': 'Click a line of the diagram to see its exact bytes (secrets masked).',
  'report.html.neverConnected': 'The client never connected to the lab server.',
  'report.html.nothing': '(nothing)',
  'report.html.checks': 'Checks',
  'report.html.stdout': 'Client output (stdout)',
  'report.html.stderr': 'Client errors (stderr)',
  'report.html.title': 'smtp-lab report: {scenarios}',
  'report.html.heading': 'Grade report',
  'report.html.scenarios.one': '{count} scenario: {list}',
  'report.html.scenarios.other': '{count} scenarios: {list}',
  // the class index (grade-all --format html)
  'report.class.title': 'smtp-lab class results',
  'report.class.heading': 'Class results',
  'report.class.summary.one': '{count} student · scenarios {scenarios} · {statuses}',
  'report.class.summary.other': '{count} students · scenarios {scenarios} · {statuses}',
  'report.class.chart': 'Share of the class that failed each check',
  'report.class.barTitle': '{failed} of {judged} students failed {key}',
  'report.class.noChecks': 'No check was judged.',
  // column headings of the class index and the summary table
  'report.col.student': 'student',
  'report.col.score': 'score',
  'report.col.max': 'max',
  'report.col.status': 'status',
  'report.col.why': 'why',
  'report.col.failedChecks': 'failed checks',
} as const;

export const zhCN: { readonly [K in keyof typeof en]: string } = {
  'grader.diagnosis.missingFile':
    '找不到文件：{files}，所以客户端在连接之前就停止了；没有任何连接到达 {host}:{port} 上的实验服务器（客户端连接到了别处，或者先崩溃了）',
  'grader.diagnosis.timedOut':
    '没有任何连接到达 {host}:{port} 上的实验服务器（客户端连接到了别处，或者先崩溃了）；它一直没有连接，到达时间限制时被终止',
  'grader.diagnosis.flooded':
    '没有任何连接到达 {host}:{port} 上的实验服务器（客户端连接到了别处，或者先崩溃了）；它被终止（{why}）',
  'grader.diagnosis.signal':
    '没有任何连接到达 {host}:{port} 上的实验服务器（客户端连接到了别处，或者先崩溃了）；它被信号 {signal} 终止',
  'grader.diagnosis.exitCrash':
    '没有任何连接到达 {host}:{port} 上的实验服务器（客户端连接到了别处，或者先崩溃了）；它以退出码 {code} 退出：{crash}',
  'grader.diagnosis.exit':
    '没有任何连接到达 {host}:{port} 上的实验服务器（客户端连接到了别处，或者先崩溃了）；它以退出码 {code} 退出',
  'grader.diagnosis.exitZero':
    '没有任何连接到达 {host}:{port} 上的实验服务器（客户端连接到了别处，或者先崩溃了）；它没有连接就以退出码 0 退出',
  'grader.diagnosis.tlsStarttls':
    '客户端在 {host}:{port} 上发出的第一批字节是 TLS 握手（ClientHello），但这个端口先用明文通信；本场景使用 STARTTLS：先以明文连接，读取 220 问候，发送 EHLO，再发送 STARTTLS，收到它的 220 之后才开始 TLS 握手',
  'grader.diagnosis.tlsPlain':
    '客户端在 {host}:{port} 上发出的第一批字节是 TLS 握手（ClientHello），但这个端口先用明文通信；本场景使用明文：不用 TLS 直接连接，读取 220 问候，然后发送 EHLO',
  'grader.diagnosis.notJudged': '未评判：{reason}',
  'grader.output.earlierLines': '[前面 {count} 行未显示]',

  'grader.start.notFound': '无法启动 {program}：没有这个程序（{detail}）',
  'grader.start.notOnPath': '无法启动 {program}：没有这个程序（不在 PATH 中）（{detail}）',
  'grader.start.denied': '无法启动 {program}：权限不足，不是可执行文件（{detail}）',
  'grader.start.other': '无法启动 {program}：{detail}',
  'grader.flood.output': '输出超过了 {size}',

  'grader.flood.sessions': '打开了超过 {count} 个连接',
  'grader.flood.bytes': '线路上传输了超过 {size}',
  'grader.flood.items': '发送了超过 {count} 行和命令',
  'grader.size.bytes': '{count} 字节',
  'grader.batch.shellOperator':
    "命令中含有 shell 运算符 '{operator}'，但没有 shell 来运行它：如果需要，请用 sh -c '...'",
  'grader.batch.loneBackslash': '命令以一个单独的反斜杠结尾',
  'grader.batch.unterminatedQuote': '命令中的 {quote} 引号没有闭合',
  'grader.batch.emptyCommand': '命令为空',
  'grader.batch.submissionsUnreadable': '无法读取提交文件夹 {dir}：{reason}',
  'grader.batch.noScenario': '没有用来评分的场景',
  'grader.batch.sandboxNetwork':
    '沙箱评分必须在只有回环接口的网络命名空间中运行（enterLoopbackNetwork，CLI 就是这样做的）',
  'grader.merge.noShard': '请至少给出一个要合并的分片文件夹',
  'grader.merge.outIsShard': '输出目录 {dir} 同时也是一个分片：请另选 --out',
  'grader.merge.notOutDir': '{dir} 不是 grade-all 的输出目录：{reason}',
  'grader.merge.empty': '{dir}/batch.json 中没有学生或场景',
  'grader.merge.otherOptions': '{dir} 评分所用的场景或选项与 {first} 不同：{options} 与 {firstOptions}',
  'grader.merge.otherCount': '{dir} 是分片 {index}/{of}，其他分片的总数是 {count}',
  'grader.merge.twice': '分片 {shard} 给出了两次：{first} 和 {second}',
  'grader.merge.missing.one': '缺少分片 {shards}：请合并一次评分的全部 N 个分片',
  'grader.merge.missing.other': '缺少分片 {shards}：请合并一次评分的全部 N 个分片',
  'grader.merge.studentTwice': '学生 {student} 同时出现在 {first} 和 {second} 中',
  'grader.reference.notJson': '{file}：不是 JSON（{reason}）',
  'grader.reference.notReference': '{file}：不是预期会话记录（没有 "format": {format}）',
  'grader.reference.version': '{file}：不支持版本 {version}（应为 1）',
  'grader.reference.scenario': '{file}："scenario" 必须是字符串',
  'grader.reference.sessions': '{file}："sessions" 必须是由 {shape} 组成的列表',
  'grader.sandbox.noBwrap':
    "--sandbox 需要 bubblewrap（bwrap），但它没有安装：请安装 Debian/Ubuntu 软件包 'bubblewrap'（apt-get install bubblewrap），或不带 --sandbox 评分",
  'grader.sandbox.noNamespaces':
    '--sandbox：bubblewrap 无法在这台机器上创建命名空间（{why}）；容器可能需要允许用户命名空间（Ubuntu：sysctl kernel.apparmor_restrict_unprivileged_userns=0）',
  'grader.sandbox.stillNetworked': '已为 --sandbox 重新执行，但网络中仍有 {interfaces}',
  'grader.sandbox.seesNetwork':
    '沙箱中的客户端会看到网络（{interfaces}）：请在只有回环接口的网络命名空间中评分（enterLoopbackNetwork，CLI 就是这样做的）',

  'grader.report.linesLeftOut': '本报告省略了其余 {count} 行',
  'grader.report.eventsLeftOut': '本报告省略了其余 {count} 个事件（{size}）；运行文件夹中保留了它们',

  'grader.status.graderError': '评分器出错：{error}',
  'grader.status.missing': '缺少 {files}',
  'grader.status.crashedBefore': '连接之前就崩溃了（{how}）',
  'grader.status.neverConnected': '从未连接（{how}）',
  'grader.status.killedTimeLimit': '到达时间限制被终止',
  'grader.status.tls': '对明文端口使用了 TLS',
  'grader.status.checksFailed.one': '{count} 个检查项未通过',
  'grader.status.checksFailed.other': '{count} 个检查项未通过',
  'grader.status.truncated': '输出已截断',
  'grader.status.allPassed': '全部检查项通过',
  'grader.status.notRun': '未运行',
  'grader.status.graderFailed': 'smtp-lab：评分器在这次运行中出错（不是客户端的问题）：{error}',
  'grader.summary.everyScenario': '{text}（所有场景）',
  'grader.summary.group': '{text}：{scenarios}',
  'grader.summary.separator': '；',
  'grader.table.footer.one': '{count} 名学生：{counts}',
  'grader.table.footer.other': '{count} 名学生：{counts}',
  'grader.table.count': '{count} 名 {status}',

  'report.client.exit': '退出码 {code}',
  'report.client.crash': '退出码 {code}：{crash}',
  'report.client.timedOut': '到达时间限制被终止（{seconds} 秒）',
  'report.client.flooded': '被终止：{why}',
  'report.client.signal': '被信号 {signal} 终止',
  'report.client.sandboxed': '{how}，在沙箱中运行',
  'report.clientTest.title': '客户端进程运行到结束',
  'report.failed': '未通过',
  'report.none': '无',
  'report.listSeparator': '，',

  'report.tier.heading': '{tier}：',
  'report.na': '不适用',
  'report.label.note': '说明：',
  'report.label.why': '原因：',
  'report.label.hint': '提示：',
  'report.labelled': '{label}{text}',
  'report.score': '得分 {score}/{maxScore}',

  'report.text.client': '客户端：{command}（{how}）',
  'report.text.cause': '原因：{text}',
  'report.text.tampered':
    '*** 篡改：{file} 在服务器保存之后被改动过（sha256 {found}，保存时为 {expected}）；按服务器收到的内容评判',
  'report.text.stderr': '客户端的错误输出（stderr）：',
  'report.text.total': '总分 {score}/{maxScore}',
  'report.plain.why': '原因：{note}',
  'report.plain.note': '说明：{note}',
  'report.plain.transcript': '会话记录 {ref}：{text}',
  'report.plain.hint': '提示：{hint}',
  'report.gradescope.scenario': '**{scenario}**：{score}/{maxScore}（{how}）',
  'report.gradescope.cause': '原因：{text}',
  'report.gradescope.stderr': '客户端的错误输出（stderr）：',
  'report.tap.scenarioScore': '{scenario}：得分 {score}/{maxScore}',

  'report.html.killedTimeLimit': '超过时间限制后被终止（{ms} 毫秒）',
  'report.html.didNotStart': '未能启动',
  'report.html.truncated': '{how}，输出已截断',
  'report.html.client': '客户端：{command}（{how}）',
  'report.html.noChecks': '没有评判任何检查项（见客户端的输出）。',
  'report.html.conversation': '第 {n} 段对话（共 {total} 段）：会话 {id} · {rows} 行 · {seconds} 秒',
  'report.html.clickRow': '点击图中的一行，查看它的确切字节（密码已遮盖）。',
  'report.html.neverConnected': '客户端从未连接到实验服务器。',
  'report.html.nothing': '（无）',
  'report.html.checks': '检查项',
  'report.html.stdout': '客户端的输出（stdout）',
  'report.html.stderr': '客户端的错误输出（stderr）',
  'report.html.title': 'smtp-lab 评分报告：{scenarios}',
  'report.html.heading': '评分报告',
  'report.html.scenarios.one': '{count} 个场景：{list}',
  'report.html.scenarios.other': '{count} 个场景：{list}',
  'report.class.title': 'smtp-lab 全班成绩',
  'report.class.heading': '全班成绩',
  'report.class.summary.one': '{count} 名学生 · 场景 {scenarios} · {statuses}',
  'report.class.summary.other': '{count} 名学生 · 场景 {scenarios} · {statuses}',
  'report.class.chart': '每个检查项未通过的学生比例',
  'report.class.barTitle': '{judged} 名学生中有 {failed} 名未通过 {key}',
  'report.class.noChecks': '没有评判任何检查项。',
  'report.col.student': '学生',
  'report.col.score': '得分',
  'report.col.max': '满分',
  'report.col.status': '状态',
  'report.col.why': '原因',
  'report.col.failedChecks': '未通过的检查项',
};
