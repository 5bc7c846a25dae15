/**
 * Messages printed by src/cli/ (and what it renders), English and 简体中文 side by side. Keys start
 * with `cli.`; en.ts and zh-CN.ts merge every area, and test/i18n/catalogue.test.ts checks that no
 * two areas share a key.
 */
export const en = {
  // src/cli/main.ts: the top-level parser
  'cli.main.usage':
    '$0 <command> [options]\n\nA lab mail server, a reference SMTP client and a grader for SMTP-client assignments.',
  'cli.main.cmd.demo':
    'the assignment done right: the reference client sends text and an image through STARTTLS and AUTH to the embedded lab server',
  'cli.main.cmd.serve':
    'run the lab SMTP server: records every byte, real TLS (STARTTLS and implicit), AUTH, durable mailbox',
  'cli.main.cmd.send': 'send a mail with the reference client over a raw socket, showing every step',
  'cli.main.cmd.explain':
    'explain a reply code (535) or enhanced status code (5.7.8): meaning, RFC, what a client should do next',
  'cli.main.cmd.scenarios': 'list the built-in lab scenarios: id, title and lesson',
  'cli.main.cmd.checks': 'list every check id: its title, what it judges and its tier',
  'cli.main.cmd.lab':
    'run the lab server under a scenario: point your own client at it, see every reply explained and the checks judged',
  'cli.main.cmd.grade':
    'grade any client command against scenarios: score, wire evidence and hints (text, JSON, Gradescope, JUnit, TAP)',
  'cli.main.cmd.gradeAll':
    'grade every student folder of a class in parallel: progress, summary table, scores.csv, one report each',
  'cli.main.cmd.merge':
    'combine the out-dirs of grade-all --shard K/N runs into one scores.csv, summary.txt, batch.json',
  'cli.main.cmd.autograder':
    'build the Gradescope autograder zip in one command: setup.sh, run_autograder and this smtp-lab inside',
  'cli.main.cmd.record':
    "save a known-good client's exchange as a scenario's expected transcript (normalised), for the matches-reference check",
  'cli.main.opt.lang': 'language of messages: en or zh-CN (default: SMTP_LAB_LANG, then the locale)',
  'cli.main.demandCommand': 'Name a command (see --help).',
  'cli.main.usageError': "smtp-lab: {message}\nRun 'smtp-lab --help' for usage.",
  'cli.main.error': 'smtp-lab: {message}',
  'cli.main.lineBreak': 'smtp-lab: --{name} contains a line break (CR or LF), which is refused',

  // src/cli/usage.ts: values and files the user got wrong
  'cli.usage.port': '--{name} must be a port number from 0 to 65535 (0: a free port), not {value}',
  'cli.usage.seconds': '--{name} must be a number of seconds above 0, not {value}',
  'cli.usage.somethingElse': 'something else',
  'cli.usage.portInUse':
    '{where} is in use (another lab server?): choose another with --port, or 0 for a free one',
  'cli.usage.portPrivileged':
    '{where} needs privileges to listen on: use a port above 1023, or 0 for a free one',
  'cli.usage.noAddress': '{where}: no such address on this machine',
  'cli.usage.where.port': 'port {port}',
  'cli.usage.where.portOn': 'port {port} on {address}',
  'cli.usage.where.any': 'the port',
  'cli.usage.noScenarioFile': 'no scenario file at {file}',
  'cli.usage.scenarioIsFolder': '{file} is a folder, not a scenario file',
  'cli.usage.scenarioUnreadable': 'cannot read the scenario file {file}: permission denied',
  'cli.usage.outIsFolder': '{option} {file} is a folder: give a file name',
  'cli.usage.outNoFolder': '{option} {file}: the folder {dir} does not exist',

  // src/cli/send.ts: --help
  'cli.send.usage':
    '$0 send [options]\n\nSend a mail with the reference client: it speaks SMTP itself over a socket and shows every byte (swaks notation: <- server, -> client, <~ ~> inside TLS, === info, *** error).\nThe password comes from SMTP_PASS or a hidden prompt, never from the command line.',
  'cli.send.opt.server': 'HOST[:PORT] of the SMTP server ([v6]:PORT for IPv6)',
  'cli.send.opt.provider': 'preset host, port and TLS for a provider (--server overrides the host)',
  'cli.send.opt.tls':
    'none, starttls (required: refuse if not offered) or implicit (465); default: implicit on 465, else starttls',
  'cli.send.opt.user': 'AUTH user name (password: SMTP_PASS or a prompt)',
  'cli.send.opt.auth': 'AUTH mechanism; default: PLAIN if offered, else LOGIN',
  'cli.send.opt.from': 'sender address (MAIL FROM and From:)',
  'cli.send.opt.to': 'recipient (repeat for more)',
  'cli.send.opt.cc': 'copy recipient (repeatable)',
  'cli.send.opt.bcc': 'blind copy: envelope only, never in the headers',
  'cli.send.opt.subject': 'subject (any Unicode; encoded as RFC 2047 when needed)',
  'cli.send.opt.text': 'plain-text body (line breaks allowed; or --text-file)',
  'cli.send.opt.textFile': 'plain-text body from a UTF-8 file',
  'cli.send.opt.htmlFile': 'HTML alternative from a file',
  'cli.send.opt.attach': 'attach a file (repeatable)',
  'cli.send.opt.inline': 'inline image (repeatable), shown in the HTML as <img src="cid:FILENAME">',
  'cli.send.opt.ca': 'trust this CA file (PEM) instead of the system store, e.g. the lab CA',
  'cli.send.opt.insecure': 'do not verify the certificate (a warning is shown; never with real credentials)',
  'cli.send.opt.allowPlainAuth': 'allow AUTH without TLS to a host that is not loopback',
  'cli.send.opt.helo': 'name to give in EHLO/HELO (default: this host name)',
  'cli.send.opt.timeout':
    'seconds for the connection and for each reply as a whole (a server trickling bytes cannot stretch it)',
  'cli.send.opt.json': 'print the transcript (passwords masked) and the result as JSON instead',
  'cli.send.example.lab': 'text and an image through STARTTLS and AUTH to the lab server',
  'cli.send.example.qq': 'through smtp.qq.com:465 (asks for the authorization code)',
  'cli.send.exitCodes': 'Exit codes (one per failing phase, after swaks):',
  'cli.send.exit.0': 'message accepted (some recipients may have been refused: see the result)',
  'cli.send.exit.2': 'usage: a bad or missing option, CR or LF in an argument, no password',
  'cli.send.exit.20': 'connection failed (refused, unreachable, DNS, connect timeout)',
  'cli.send.exit.21': 'no or bad greeting (not 220), or the server closed/timed out',
  'cli.send.exit.22': 'EHLO and HELO refused',
  'cli.send.exit.29': 'TLS failed: STARTTLS not offered or refused, certificate not trusted',
  'cli.send.exit.28': 'AUTH failed (wrong password, mechanism missing, plaintext AUTH refused)',
  'cli.send.exit.23': 'MAIL FROM refused',
  'cli.send.exit.24': 'every RCPT TO refused',
  'cli.send.exit.25': 'DATA refused (no 354)',
  'cli.send.exit.26': 'message refused after the final "."',
  'cli.send.exit.27': 'QUIT not answered with 221 (the message was already accepted)',
  'cli.send.exit.70': 'internal error (a bug: please report it)',

  // src/cli/send.ts: what a run prints
  'cli.send.error.target': 'give --server HOST[:PORT] or --provider',
  'cli.send.error.from': '--from is required',
  'cli.send.error.to': 'give at least one --to',
  'cli.send.error.subject': '--subject is required',
  'cli.send.error.text': 'give --text or --text-file',
  'cli.send.error.authUser': '--auth needs --user',
  'cli.send.error.timeout': '--timeout must be a number of seconds above 0',
  'cli.send.error.serverSyntax': '--server: {value} is not HOST[:PORT]',
  'cli.send.error.serverPort': '--server: port {port} out of range',
  'cli.send.error.file': '{option}: {reason}',
  'cli.send.usageError': "smtp-lab send: {message}\nRun 'smtp-lab send --help' for usage.",
  'cli.send.prompt': 'Password for {user} at {host}: ',
  'cli.send.insecure':
    'smtp-lab send: WARNING: --insecure: the server certificate is not verified; anyone on the path can read the password.',
  'cli.send.internal': 'smtp-lab send: internal error: {error}',
  'cli.send.ok.one': 'smtp-lab send: OK: message accepted for {count} recipient by {server}: {reply}',
  'cli.send.ok.many': 'smtp-lab send: OK: message accepted for {count} recipients by {server}: {reply}',
  'cli.send.ok.oneRefused':
    'smtp-lab send: OK: message accepted for {count} recipient by {server}; refused: {refused}: {reply}',
  'cli.send.ok.manyRefused':
    'smtp-lab send: OK: message accepted for {count} recipients by {server}; refused: {refused}: {reply}',
  'cli.send.quitFailed': 'smtp-lab send: but QUIT failed (exit {exit}): {message}',
  'cli.send.failed': 'smtp-lab send: FAILED at {phase} (exit {exit}): {message}',
  'cli.send.hint': 'smtp-lab send: hint: {hint}',
  'cli.send.phase.setup': 'setup',
  'cli.send.phase.connect': 'connection',
  'cli.send.phase.greeting': 'greeting',
  'cli.send.phase.ehlo': 'EHLO/HELO',
  'cli.send.phase.tls': 'TLS',
  'cli.send.phase.auth': 'AUTH',
  'cli.send.phase.mail': 'MAIL FROM',
  'cli.send.phase.rcpt': 'RCPT TO',
  'cli.send.phase.data': 'DATA',
  'cli.send.phase.message': 'message (end of data)',
  'cli.send.phase.quit': 'QUIT',

  // src/client/providers.ts: the hints send prints after a failure
  'cli.provider.name.qq': 'QQ Mail',
  'cli.provider.name.163': 'NetEase 163 Mail',
  'cli.provider.name.gmail': 'Gmail',
  'cli.provider.name.outlook': 'Outlook.com',
  'cli.provider.otherPorts.qq': '587 with --tls starttls',
  'cli.provider.otherPorts.163': '25 (plaintext, usually blocked)',
  'cli.provider.otherPorts.gmail': '465 with --tls implicit',
  'cli.provider.otherPorts.outlook': 'none (587 with STARTTLS only)',
  'cli.provider.auth.qq':
    'QQ Mail wants the 16-letter authorization code (授权码), not your QQ password: enable the SMTP service and generate a code in the mailbox settings (Account > POP3/IMAP/SMTP). --from must be the same address as --user, or QQ answers 501.',
  'cli.provider.auth.163':
    '163 Mail wants the authorization code (授权码) made when you enable POP3/SMTP in the mailbox settings, not your login password. --from must be the same address as --user.',
  'cli.provider.auth.gmail':
    'Gmail refuses the account password (535 5.7.8): turn on 2-Step Verification and use a 16-character app password (Google Account > Security > App passwords).',
  'cli.provider.auth.outlook':
    'Microsoft is retiring password ("basic") authentication for SMTP AUTH on Outlook.com: if a correct password or app password is refused, the account needs OAuth2, which this client does not do.',
  'cli.provider.port25':
    'Port 25 is blocked on most home, campus and cloud networks (it is for server-to-server mail): use 465 (--tls implicit) or 587 (--tls starttls).',
  'cli.provider.ports':
    '{name} listens on {host} port {port} (--tls {tls}); also {otherPorts}. A firewall or proxy on your network may block outgoing mail ports.',
  'cli.provider.fromIsUser':
    '{name} accepts only MAIL FROM equal to the authenticated user: make --from the same as --user.',

  // --help of each command (src/cli/<command>.ts)
  'cli.web.opt.web': 'serve the browser view: inbox, messages, conversations (--no-web: do not)',
  'cli.web.opt.webPort':
    'port of the browser view (0 = a free port; when {port} is taken, a free one is used)',
  'cli.demo.usage':
    '$0 demo\n\nThe assignment done right, end to end on this machine: starts the lab server (STARTTLS and\nAUTH required), and the reference client sends it a text-and-image message, showing every step.\nThen it prints a link to the message in the browser view and keeps serving it until Ctrl-C\n(--no-web: exit once the message is sent).',
  'cli.demo.opt.mailbox': 'keep the lab server files here (default: a temporary folder)',
  'cli.record.usage':
    '$0 record <scenario> [--out FILE] [options] -- COMMAND [ARGS...]\n\nRun a known-good client under a scenario and save its exchange as the expected transcript:\nper session, the client lines and the reply codes, normalised (EHLO keywords as a set; host\nnames, credentials, dates, Message-IDs, MIME boundaries and ids masked). Name the file in the\nscenario as `expected-transcript: FILE` and add the check `matches-reference`: a run that differs\nfails it with a diff.\n\nThe client must pass every check of the scenario, or nothing is written (--force writes anyway).\nExit status: 0 recorded, 1 the client failed, 2 usage or scenario error.',
  'cli.record.opt.scenario': 'scenario id or file',
  'cli.record.opt.out': 'where to write the transcript (default: <scenario>.expected.json)',
  'cli.record.opt.timeout': 'seconds before the client is killed',
  'cli.record.opt.force': 'write the transcript even when the client fails checks',
  'cli.record.example.1': "record the instructor's solution",
  'cli.merge.usage':
    '$0 merge --out DIR SHARD_DIR...\n\nCombine the out-dirs of `grade-all --shard K/N` (all N of them) into one: scores.csv, summary.txt,\nbatch.json and students/<name>/, as one unsharded run would have written them. Shards graded with\nother scenarios or options, a missing or repeated shard, or a student in two shards are refused.\n\nExit status: 0 merged; 2 the shards cannot be merged (the reason on one line); 1 writing failed.',
  'cli.merge.opt.shards': 'the shard out-dirs',
  'cli.merge.opt.out': 'folder for the merged results',
  'cli.merge.example.1': 'after eight CI jobs wrote shard-1 ... shard-8',
  'cli.autograder.usage':
    "$0 autograder --scenario ID [--scenario ID]... --command 'python3 smtp_client.py' [options]\n\nWrite the Gradescope autograder zip: setup.sh (installs only what the image lacks: Node 20+, the\ncommand's interpreter, bubblewrap, then the smtp-lab tarball inside the zip), run_autograder\n(grades /autograder/submission with these options) and smtp-lab itself, packed. Upload the zip as\nthe assignment's autograder.\n\nExit status: 0 written; 2 usage or scenario error; 1 packing or writing failed.",
  'cli.autograder.opt.scenario': 'scenario id or file (repeatable); files are put in the zip',
  'cli.autograder.opt.command': "the student's client, run in their folder, e.g. 'python3 smtp_client.py'",
  'cli.autograder.opt.timeout': 'seconds before the client is killed (per scenario)',
  'cli.autograder.opt.require':
    "files the submission must contain (default: the command's arguments that name a file, e.g. smtp_client.py)",
  'cli.autograder.opt.lang': 'language of the feedback (passed to the grader as SMTP_LAB_LANG, e.g. zh-CN)',
  'cli.autograder.opt.sandbox':
    'grade under bubblewrap where the image allows it (falls back, saying so, where it does not); --no-sandbox never',
  'cli.autograder.opt.strict': 'judge by the RFC 5321 grammar exactly',
  'cli.autograder.opt.out': 'the zip to write',
  'cli.autograder.example.1': 'a Python assignment: upload autograder.zip to Gradescope',
  'cli.autograder.example.2': 'a Java assignment (the image gets a JDK), feedback in Chinese',
  'cli.gradeAll.usage':
    "$0 grade-all --submissions DIR --command 'CMD {dir}/...' --scenario ID [--scenario ID]... [options]\n\nGrade every subfolder of DIR (one student each) with the same command and scenarios, in parallel.\n{dir} in the command is the submission folder (absolute), which is also its working directory;\nthe string is split like a shell would (quotes honoured) but no shell runs it. Each scenario run\ngets a fresh lab server and the environment of `smtp-lab grade`.\n\nWrites OUT/scores.csv, OUT/summary.txt, OUT/batch.json and OUT/students/<name>/report.json plus the\nreport in --format; prints the summary table.\n\nExit status: 0 the batch completed, whatever the scores (a student's crash, hang or flood is in\ntheir report); 2 usage, scenario or submissions-folder error; 1 the batch itself failed\n(e.g. the output folder cannot be written).",
  'cli.gradeAll.opt.submissions': 'folder with one subfolder per student',
  'cli.gradeAll.opt.command':
    "client command; {dir} is the student's folder, e.g. 'python3 {dir}/smtp_client.py'",
  'cli.gradeAll.opt.scenario': 'scenario id or file (repeatable)',
  'cli.gradeAll.opt.jobs': 'scenario runs at once (default: the number of CPUs)',
  'cli.gradeAll.opt.timeout': 'seconds before a client is killed (per scenario)',
  'cli.gradeAll.opt.format': "each student's report format (report.json is always written too)",
  'cli.gradeAll.opt.outDir': 'folder for scores.csv, summary.txt, batch.json and students/<name>/',
  'cli.gradeAll.opt.strict': 'judge by the RFC 5321 grammar exactly',
  'cli.gradeAll.opt.workDir':
    "keep every run's mailbox and raw transcripts here (default: a temporary folder, removed)",
  'cli.gradeAll.opt.shard':
    'grade only slice K of N (K/N, 1 <= K <= N <= 256), chosen by folder name; combine with `smtp-lab merge`',
  'cli.gradeAll.opt.sandbox':
    'run each client under bubblewrap: read-only system, own folder only, loopback-only network, limits',
  'cli.gradeAll.example.1': 'grade a class of Python clients',
  'cli.gradeAll.example.2': 'the second of eight CI jobs, untrusted code boxed in',
  'cli.gradeAll.example.3': 'Java clients, Gradescope results.json per student',
  'cli.explain.usage':
    '$0 explain CODE [--json]\n\nExplain an SMTP reply code (RFC 5321, STARTTLS, AUTH) and/or an RFC 3463 enhanced status code: what it means, where it appears, and what a client should do next.',
  'cli.explain.opt.code': 'a reply code (550), an enhanced status code (5.1.1), or both ("550 5.1.1")',
  'cli.explain.opt.json': 'print the explanation as JSON',
  'cli.explain.example.1': 'the reply to AUTH with bad credentials',
  'cli.explain.example.2': 'an enhanced status code on its own',
  'cli.explain.example.3': 'a reply code with its enhanced status code',
  'cli.scenarios.usage': '$0 scenarios [--json]\n\nList the built-in lab scenarios: id, title and lesson.',
  'cli.scenarios.opt.json': 'print the list as JSON',
  'cli.checks.usage':
    '$0 checks [--json]\n\nList every check id a scenario may name: its title, what it is judged from, and the tier\nscenarios usually give it.',
  'cli.checks.opt.json': 'print the list as JSON',
  'cli.grade.usage':
    '$0 grade --scenario ID [--scenario ID]... [options] -- COMMAND [ARGS...]\n\nRun a client command against each scenario on a fresh lab server and judge it from the wire.\nThe command gets SMTP_HOST, SMTP_PORT, SMTP_TLS, SMTP_USER, SMTP_PASS, SMTP_CA_FILE, MAIL_FROM,\nRCPT_TO (and IMAGE_FILE, MAIL_SUBJECT, MAIL_BODY where the scenario gives them), SMTP_TIMEOUT (the\nseconds before it is killed) and nothing else of this environment; {host}, {port} and {tls} in its\narguments are replaced.\n\nExit status: 0 all checks passed, 1 some failed, 2 usage or scenario error.',
  'cli.grade.opt.scenario': 'scenario id or file (repeatable)',
  'cli.grade.opt.timeout':
    'seconds before the client is killed (per scenario); the client gets it as SMTP_TIMEOUT',
  'cli.grade.opt.format': 'report format',
  'cli.grade.opt.out': 'write the report to this file instead of stdout',
  'cli.grade.opt.strict': 'judge by the RFC 5321 grammar exactly',
  'cli.grade.opt.workDir':
    'keep mailboxes and transcripts here (default: a temporary folder, deleted afterwards)',
  'cli.grade.opt.sandbox':
    'run the client under bubblewrap: read-only system, own folder only, loopback-only network, limits',
  'cli.grade.example.1': 'grade a Python client',
  'cli.grade.example.2': 'Gradescope output',
  'cli.lab.usage':
    '$0 lab <scenario> [options]\n\nStart the lab server under a scenario, point your own client at it, and see every\nreply explained and the checks judged when each session ends. <scenario> is a built-in id\n(see `smtp-lab scenarios`) or a path to a scenario file.',
  'cli.lab.opt.scenario': 'built-in id or .yaml file',
  'cli.lab.opt.port': 'plaintext port (0 = a free port)',
  'cli.lab.opt.tlsPort': 'implicit-TLS port, for implicit-TLS scenarios',
  'cli.lab.opt.mailbox': 'folder for messages and transcripts',
  'cli.lab.opt.strict': 'judge by the RFC 5321 grammar exactly',
  'cli.lab.opt.explain': 'explain every reply (--no-explain: do not)',
  'cli.lab.example.1': 'the assignment itself: plaintext, no TLS',
  'cli.lab.example.2': 'replies arrive in small pieces',
  'cli.serve.usage':
    '$0 serve [options]\n\nRun the lab SMTP server on this machine and show every session live.',
  'cli.serve.opt.host':
    'address to listen on, SMTP and the browser view (anything but loopback exposes the lab server to the network)',
  'cli.serve.opt.port': 'plaintext port with STARTTLS (0 = a free port)',
  'cli.serve.opt.tlsPort': 'implicit-TLS port, like 465 (0 = a free port)',
  'cli.serve.opt.implicitTls': 'listen on --tls-port (--no-implicit-tls: do not)',
  'cli.serve.opt.mailbox':
    'folder for received messages (<id>.eml + <id>.json), session transcripts and ca.pem',
  'cli.serve.opt.user': 'test account user name',
  'cli.serve.opt.pass': 'test account password (a lab password, not a real one)',
  'cli.serve.opt.auth': 'AUTH before MAIL: required, optional, or not offered',
  'cli.serve.opt.requireTls': 'refuse AUTH and MAIL before STARTTLS (as Gmail on 587)',
  'cli.serve.opt.maxSize': 'SIZE limit: bytes, or with K, M or G',
  'cli.serve.opt.traceHeaders': 'prepend a Received: header to stored messages',
  'cli.serve.opt.idleTimeout': 'seconds of client silence before a 421',
  'cli.serve.opt.sessionTimeout': 'seconds a session may last in all before a 421, however busy the client',
  'cli.serve.opt.maxConnections':
    'connections open at once; more get a 421 (default: what the open-file limit allows, at most 256)',
  'cli.serve.opt.maxPerClient': 'connections open at once from one client address; more get a 421',
  'cli.serve.example.1': 'plaintext+STARTTLS on 127.0.0.1:2525, implicit TLS on 2465',
  'cli.serve.example.2': 'a free port; AUTH required, only after STARTTLS',

  // src/cli/lab.ts
  'cli.lab.title': 'smtp-lab lab: {id} - {title}',
  'cli.lab.pointAt': 'Point your client at:',
  'cli.lab.where': 'host localhost (or 127.0.0.1), port {port}, TLS {tls}',
  'cli.lab.caFile': 'CA file {file}',
  'cli.lab.account': 'account {user} / {pass}',
  'cli.lab.subject': 'subject {subject}',
  'cli.lab.image': 'image {file}',
  'cli.lab.environment': 'Environment, ready to paste (bash):',
  'cli.lab.trustStore':
    'Only if your client verifies certificates with the system trust store (Python ssl, requests, curl):',
  'cli.lab.trustStoreWarning':
    '  Set these for one command, as above, not with export: they replace the trusted CAs of the whole\n  shell, and the same client then fails to verify smtp.qq.com or smtp.gmail.com. Better: load\n  SMTP_CA_FILE in your code, e.g. ssl.create_default_context(cafile=os.environ["SMTP_CA_FILE"]).',
  'cli.lab.checks': 'Checks:',
  'cli.lab.check.one': '{id} ({points} point, {tier})',
  'cli.lab.check.many': '{id} ({points} points, {tier})',
  'cli.lab.browser': 'See it in the browser: ',
  'cli.lab.waiting':
    'Waiting for your client; every session is shown live and judged when it ends. Ctrl-C stops.',
  'cli.lab.explained': '{title}: {next}',
  'cli.lab.stored': 'stored {file} (and its .json)',
  'cli.lab.checksFor.session': 'Checks for this session:',
  'cli.lab.checksFor.sessions':
    "Checks for the last {count} sessions (this scenario's lesson spans connections):",
  'cli.lab.cause': 'cause: {cause}',
  'cli.signal.stopping': '{signal}: stopping',


  // src/transcript/render.ts: what the renderer adds to the bytes of a session
  'cli.transcript.pieces': 'arrived in {count} pieces',
  'cli.transcript.bodyLine': 'body line {n}',
  'cli.transcript.moreBodyLines.one': '({count} more body line; {bytes} bytes in all)',
  'cli.transcript.moreBodyLines.many': '({count} more body lines; {bytes} bytes in all)',
  'cli.transcript.flagged.bareLfOne': '{count} body line end with a bare LF',
  'cli.transcript.flagged.bareLfMany': '{count} body lines end with a bare LF',
  'cli.transcript.flagged.bareCrOne': '{count} body line have a bare CR inside',
  'cli.transcript.flagged.bareCrMany': '{count} body lines have a bare CR inside',
  'cli.transcript.flagged.longOne': '{count} body line are longer than 998 octets',
  'cli.transcript.flagged.longMany': '{count} body lines are longer than 998 octets',
  'cli.transcript.flagged.dotStartOne': '{count} body line start with a "." that is not doubled',
  'cli.transcript.flagged.dotStartMany': '{count} body lines start with a "." that is not doubled',
  'cli.transcript.flagged.loneDotOne': '{count} body line are a "." that does not end the message',
  'cli.transcript.flagged.loneDotMany': '{count} body lines are a "." that does not end the message',
  'cli.transcript.flag.bareLf': 'bare LF',
  'cli.transcript.flag.bareCr': 'bare CR inside the line',
  'cli.transcript.flag.endsCr': 'ends with a bare CR',
  'cli.transcript.flag.noEnding': 'no line ending',
  'cli.transcript.flag.injected': 'plaintext after STARTTLS: ignored',
  'cli.transcript.flag.early': 'sent before the reply was complete',
  'cli.transcript.flag.clipped': '{bytes} bytes, cut here',
  'cli.transcript.flag.clippedOctets': '{octets} octets, cut here',

  // What the other commands print as they run
  'cli.commandError': 'smtp-lab {command}: {message}',
  'cli.usage.timeout': '--timeout must be a positive number of seconds',
  'cli.grade.noCommand': "smtp-lab grade: give the client command after '--', e.g. -- python3 smtp_client.py",
  'cli.record.noCommand':
    "smtp-lab record: give the client command after '--', e.g. -- python3 smtp_client.py",
  'cli.record.neverConnected': 'smtp-lab record: the client never connected: nothing to record',
  'cli.record.failed':
    'smtp-lab record: not recorded, the client failed {checks} (a reference comes from a known-good client; --force records it anyway)',
  'cli.record.done':
    'recorded {id}: {sessions} session(s), {lines} lines -> {file}\nuse it: add "expected-transcript: {name}" (relative to the scenario file) and the check matches-reference',
  'cli.merge.done.one': 'merged {count} shard: {students} students into {out}',
  'cli.merge.done.many': 'merged {count} shards: {students} students into {out}',
  'cli.gradeAll.jobs': '--jobs must be a number of at least 1',
  'cli.gradeAll.noSubmissions': 'smtp-lab grade-all: no submission folders in {dir}',
  'cli.gradeAll.failed': 'smtp-lab grade-all: the batch failed: {message}',
  'cli.gradeAll.reports': 'reports: {dir}/<name>/report.json',
  'cli.gradeAll.reportsAnd': 'reports: {dir}/<name>/report.json and {file}',
  'cli.gradeAll.shard': 'shard {index}/{count}: combine the shards with smtp-lab merge',
  'cli.gradeAll.sandboxed': 'every client ran sandboxed (bubblewrap, loopback-only network)',
  'cli.gradeAll.classIndex': '; class: {file}',
  'cli.gradeAll.done': '{students} students x {scenarios} scenarios in {seconds} s, {jobs} at once',
  'cli.gradeAll.progress': 'graded {done}/{total}: {name}: {line}',
  'cli.gradeAll.bar': '{bar} {done}/{total} {seconds} s  {name}: {line}',
  'cli.gradeAll.barEta': '{bar} {done}/{total} {seconds} s, ~{left} s left  {name}: {line}',
  'cli.autograder.noDir':
    "the command runs in the student's folder: write 'python3 smtp_client.py', not {dir}/...",
  'cli.autograder.lang': "--lang must be a language tag such as zh-CN or en, not '{value}'",
  'cli.autograder.sameName': 'two scenario files are named {name}',
  'cli.autograder.pack': 'smtp-lab autograder: could not pack smtp-lab: {message}',
  'cli.autograder.written':
    "{out}: setup.sh, run_autograder, {tarball}\nupload it as the assignment's autograder (Gradescope: Configure Autograder, Zip file upload)",
  'cli.autograder.writtenWithScenarios':
    "{out}: setup.sh, run_autograder, {tarball}, scenario files\nupload it as the assignment's autograder (Gradescope: Configure Autograder, Zip file upload)",
  'cli.demo.server': 'smtp-lab demo: lab server on 127.0.0.1:{port} (STARTTLS and AUTH required, CA {ca})',
  'cli.demo.sending':
    'the reference client sends a text-and-image message as {user}; the password comes from SMTP_PASS',
  'cli.demo.stored': 'stored {file} ({size} bytes, sha256 {sha256}...)',
  'cli.demo.transcript': 'session transcript {file}',
  'cli.demo.browser': 'see it in your browser: {link}',
  'cli.demo.browserWhat':
    '(the message as a mail client shows it, its MIME parts, and the conversation that carried it)',
  'cli.demo.running': 'the lab server keeps running on 127.0.0.1:{port}; Ctrl-C stops',
  'cli.web.portInUse': 'smtp-lab: --web-port {port} is in use (0 picks a free port; --no-web: none)',
  'cli.serve.exposed':
    'smtp-lab: warning: listening on {host} exposes the lab server (and its test account) to the network',
  'cli.serve.exposedWeb':
    'smtp-lab: warning: listening on {host} exposes the lab server (and its test account) to the network, and the browser view of its mailbox',
  'cli.serve.recovered':
    'mailbox: {removed} unfinished temp file(s) removed, {quarantined} half-written message file(s) moved to {dir}',
  'cli.serve.ready.plain':
    'smtp-lab ready: SMTP+STARTTLS on {smtp}; CA {ca}; account {user} / {pass}; auth {auth}; mailbox {mailbox}',
  'cli.serve.ready.tls':
    'smtp-lab ready: SMTP+STARTTLS on {smtp}, implicit TLS on {tls}; CA {ca}; account {user} / {pass}; auth {auth}; mailbox {mailbox}',
  'cli.serve.ready.web':
    'smtp-lab ready: SMTP+STARTTLS on {smtp}; CA {ca}; account {user} / {pass}; auth {auth}; mailbox {mailbox}; web {web}',
  'cli.serve.ready.tlsWeb':
    'smtp-lab ready: SMTP+STARTTLS on {smtp}, implicit TLS on {tls}; CA {ca}; account {user} / {pass}; auth {auth}; mailbox {mailbox}; web {web}',
  'cli.serve.stored': 'stored {file} ({size} bytes)',
} as const;

export const zhCN: { readonly [K in keyof typeof en]: string } = {
  'cli.main.usage': '$0 <命令> [选项]\n\n实验用邮件服务器、参考 SMTP 客户端和 SMTP 客户端作业的评分器。',
  'cli.main.cmd.demo': '作业的正确做法：参考客户端经 STARTTLS 和 AUTH 把文字和一张图片发给内置的实验服务器',
  'cli.main.cmd.serve':
    '运行实验 SMTP 服务器：记录每个字节，真实的 TLS（STARTTLS 和隐式 TLS）、AUTH，可靠落盘的邮箱',
  'cli.main.cmd.send': '用参考客户端通过原始套接字发送一封邮件，显示每一步',
  'cli.main.cmd.explain': '解释响应码（535）或增强状态码（5.7.8）：含义、RFC、客户端下一步该做什么',
  'cli.main.cmd.scenarios': '列出内置的实验场景：id、标题和要点',
  'cli.main.cmd.checks': '列出所有检查项 id：标题、判定依据和级别',
  'cli.main.cmd.lab': '在某个场景下运行实验服务器：把你自己的客户端指向它，查看每条应答的解释和检查项的判定',
  'cli.main.cmd.grade':
    '让任意客户端命令跑各个场景并评分：得分、线上证据和提示（text, JSON, Gradescope, JUnit, TAP）',
  'cli.main.cmd.gradeAll': '并行评分全班每个学生的文件夹：进度、汇总表、scores.csv，每人一份报告',
  'cli.main.cmd.merge':
    '把 grade-all --shard K/N 各次运行的输出目录合并成一个 scores.csv、summary.txt、batch.json',
  'cli.main.cmd.autograder':
    '一条命令构建 Gradescope 自动评分 zip：内含 setup.sh、run_autograder 和本 smtp-lab',
  'cli.main.cmd.record':
    '把一个已知正确的客户端的会话保存为场景的预期会话记录（已规范化），供 matches-reference 检查项使用',
  'cli.main.opt.lang': '消息语言：en 或 zh-CN（默认：SMTP_LAB_LANG，其次是系统 locale）',
  'cli.main.demandCommand': '请指定一个命令（见 --help）。',
  'cli.main.usageError': "smtp-lab：{message}\n用法见 'smtp-lab --help'。",
  'cli.main.error': 'smtp-lab：{message}',
  'cli.main.lineBreak': 'smtp-lab：--{name} 含有换行符（CR 或 LF），已拒绝',

  'cli.usage.port': '--{name} 必须是 0 到 65535 的端口号（0：任一空闲端口），而不是 {value}',
  'cli.usage.seconds': '--{name} 必须是大于 0 的秒数，而不是 {value}',
  'cli.usage.somethingElse': '其他值',
  'cli.usage.portInUse': '{where} 已被占用（另一个实验服务器？）：用 --port 换一个，或用 0 取任一空闲端口',
  'cli.usage.portPrivileged': '监听 {where} 需要特权：请用大于 1023 的端口，或用 0 取任一空闲端口',
  'cli.usage.noAddress': '{where}：本机没有这个地址',
  'cli.usage.where.port': '端口 {port}',
  'cli.usage.where.portOn': '{address} 上的端口 {port}',
  'cli.usage.where.any': '该端口',
  'cli.usage.noScenarioFile': '{file} 处没有场景文件',
  'cli.usage.scenarioIsFolder': '{file} 是文件夹，不是场景文件',
  'cli.usage.scenarioUnreadable': '无法读取场景文件 {file}：权限不足',
  'cli.usage.outIsFolder': '{option} {file} 是文件夹：请给出文件名',
  'cli.usage.outNoFolder': '{option} {file}：文件夹 {dir} 不存在',

  'cli.send.usage':
    '$0 send [选项]\n\n用参考客户端发送一封邮件：它自己通过套接字讲 SMTP，并显示每个字节（swaks 记法：<- 服务器，-> 客户端，<~ ~> 在 TLS 内，=== 信息，*** 错误）。\n密码来自 SMTP_PASS 或不回显的提示输入，绝不来自命令行。',
  'cli.send.opt.server': 'SMTP 服务器的 HOST[:PORT]（IPv6 用 [v6]:PORT）',
  'cli.send.opt.provider': '某个邮件服务商预设的主机、端口和 TLS（--server 会覆盖主机）',
  'cli.send.opt.tls':
    'none、starttls（必需：服务器不提供就拒绝）或 implicit（465）；默认：465 端口用 implicit，其余用 starttls',
  'cli.send.opt.user': 'AUTH 用户名（密码：SMTP_PASS 或提示输入）',
  'cli.send.opt.auth': 'AUTH 机制；默认：服务器提供 PLAIN 就用 PLAIN，否则用 LOGIN',
  'cli.send.opt.from': '发件人地址（MAIL FROM 和 From:）',
  'cli.send.opt.to': '收件人（可重复）',
  'cli.send.opt.cc': '抄送收件人（可重复）',
  'cli.send.opt.bcc': '密送：只在信封中，绝不写入首部',
  'cli.send.opt.subject': '主题（任意 Unicode；需要时按 RFC 2047 编码）',
  'cli.send.opt.text': '纯文本正文（可以换行；或用 --text-file）',
  'cli.send.opt.textFile': '从 UTF-8 文件读取纯文本正文',
  'cli.send.opt.htmlFile': '从文件读取 HTML 版本',
  'cli.send.opt.attach': '添加附件（可重复）',
  'cli.send.opt.inline': '内嵌图片（可重复），在 HTML 中以 <img src="cid:FILENAME"> 显示',
  'cli.send.opt.ca': '信任这个 CA 文件（PEM）而不是系统的信任库，例如实验 CA',
  'cli.send.opt.insecure': '不验证证书（会显示警告；绝不要用于真实凭据）',
  'cli.send.opt.allowPlainAuth': '允许在没有 TLS 的情况下对非回环地址的主机进行 AUTH',
  'cli.send.opt.helo': '在 EHLO/HELO 中给出的名字（默认：本机主机名）',
  'cli.send.opt.timeout': '连接以及每条完整应答的秒数（服务器一点点地发字节也不能拖长它）',
  'cli.send.opt.json': '改为以 JSON 输出会话记录（密码已遮盖）和结果',
  'cli.send.example.lab': '经 STARTTLS 和 AUTH 把文字和一张图片发给实验服务器',
  'cli.send.example.qq': '通过 smtp.qq.com:465 发送（会提示输入授权码）',
  'cli.send.exitCodes': '退出码（每个失败阶段一个，沿用 swaks）：',
  'cli.send.exit.0': '邮件已被接受（部分收件人可能被拒绝：见结果）',
  'cli.send.exit.2': '用法错误：选项有误或缺失、参数中有 CR 或 LF、没有密码',
  'cli.send.exit.20': '连接失败（被拒绝、不可达、DNS、连接超时）',
  'cli.send.exit.21': '没有问候或问候不对（不是 220），或服务器关闭了连接/超时',
  'cli.send.exit.22': 'EHLO 和 HELO 都被拒绝',
  'cli.send.exit.29': 'TLS 失败：不提供或拒绝 STARTTLS，证书不受信任',
  'cli.send.exit.28': 'AUTH 失败（密码错误、缺少认证机制、拒绝明文 AUTH）',
  'cli.send.exit.23': 'MAIL FROM 被拒绝',
  'cli.send.exit.24': '所有 RCPT TO 都被拒绝',
  'cli.send.exit.25': 'DATA 被拒绝（没有 354）',
  'cli.send.exit.26': '最后的 "." 之后邮件被拒绝',
  'cli.send.exit.27': 'QUIT 没有得到 221 应答（邮件已被接受）',
  'cli.send.exit.70': '内部错误（程序缺陷：请报告）',

  'cli.send.error.target': '请给出 --server HOST[:PORT] 或 --provider',
  'cli.send.error.from': '必须给出 --from',
  'cli.send.error.to': '请至少给出一个 --to',
  'cli.send.error.subject': '必须给出 --subject',
  'cli.send.error.text': '请给出 --text 或 --text-file',
  'cli.send.error.authUser': '--auth 需要 --user',
  'cli.send.error.timeout': '--timeout 必须是大于 0 的秒数',
  'cli.send.error.serverSyntax': '--server：{value} 不是 HOST[:PORT]',
  'cli.send.error.serverPort': '--server：端口 {port} 超出范围',
  'cli.send.error.file': '{option}：无法读取文件（{reason}）',
  'cli.send.usageError': "smtp-lab send：{message}\n用法见 'smtp-lab send --help'。",
  'cli.send.prompt': '{user} 在 {host} 的密码（授权码）：',
  'cli.send.insecure': 'smtp-lab send：警告：--insecure：不验证服务器证书；路径上的任何人都能读到密码。',
  'cli.send.internal': 'smtp-lab send：内部错误：{error}',
  'cli.send.ok.one': 'smtp-lab send：成功：{server} 已接受发给 {count} 个收件人的邮件：{reply}',
  'cli.send.ok.many': 'smtp-lab send：成功：{server} 已接受发给 {count} 个收件人的邮件：{reply}',
  'cli.send.ok.oneRefused':
    'smtp-lab send：成功：{server} 已接受发给 {count} 个收件人的邮件；被拒绝：{refused}：{reply}',
  'cli.send.ok.manyRefused':
    'smtp-lab send：成功：{server} 已接受发给 {count} 个收件人的邮件；被拒绝：{refused}：{reply}',
  'cli.send.quitFailed': 'smtp-lab send：但 QUIT 失败了（退出码 {exit}）：{message}',
  'cli.send.failed': 'smtp-lab send：{phase}失败（退出码 {exit}）：{message}',
  'cli.send.hint': 'smtp-lab send：提示：{hint}',
  'cli.send.phase.setup': '准备阶段',
  'cli.send.phase.connect': '连接阶段',
  'cli.send.phase.greeting': '问候阶段',
  'cli.send.phase.ehlo': 'EHLO/HELO 阶段',
  'cli.send.phase.tls': 'TLS 阶段',
  'cli.send.phase.auth': 'AUTH 阶段',
  'cli.send.phase.mail': 'MAIL FROM 阶段',
  'cli.send.phase.rcpt': 'RCPT TO 阶段',
  'cli.send.phase.data': 'DATA 阶段',
  'cli.send.phase.message': '邮件（数据结束）阶段',
  'cli.send.phase.quit': 'QUIT 阶段',

  'cli.provider.name.qq': 'QQ 邮箱',
  'cli.provider.name.163': '网易 163 邮箱',
  'cli.provider.name.gmail': 'Gmail 邮箱',
  'cli.provider.name.outlook': 'Outlook.com 邮箱',
  'cli.provider.otherPorts.qq': '587（配合 --tls starttls）',
  'cli.provider.otherPorts.163': '25（明文，通常被封锁）',
  'cli.provider.otherPorts.gmail': '465（配合 --tls implicit）',
  'cli.provider.otherPorts.outlook': '无（只有 587 加 STARTTLS）',
  'cli.provider.auth.qq':
    'QQ 邮箱要的是 16 位授权码，不是 QQ 密码：在邮箱设置（账户 > POP3/IMAP/SMTP）中开启 SMTP 服务并生成授权码。--from 必须与 --user 是同一个地址，否则 QQ 应答 501。',
  'cli.provider.auth.163':
    '163 邮箱要的是在邮箱设置中开启 POP3/SMTP 时生成的授权码，不是登录密码。--from 必须与 --user 是同一个地址。',
  'cli.provider.auth.gmail':
    'Gmail 拒绝账号密码（535 5.7.8）：请开启两步验证，并使用 16 位的应用专用密码（Google 账号 > 安全性 > 应用专用密码）。',
  'cli.provider.auth.outlook':
    'Microsoft 正在停用 Outlook.com 上 SMTP AUTH 的密码（“基本”）认证：如果正确的密码或应用专用密码仍被拒绝，该账号需要 OAuth2，而本客户端不支持。',
  'cli.provider.port25':
    '大多数家庭、校园和云网络都封锁了 25 端口（它用于服务器之间的邮件传输）：请用 465（--tls implicit）或 587（--tls starttls）。',
  'cli.provider.ports':
    '{name} 在 {host} 的 {port} 端口监听（--tls {tls}）；另有 {otherPorts}。你所在网络的防火墙或代理可能封锁了外发邮件端口。',
  'cli.provider.fromIsUser': '{name} 只接受与已认证用户相同的 MAIL FROM：请让 --from 与 --user 相同。',

  'cli.web.opt.web': '提供浏览器视图：收件箱、邮件、会话（--no-web：不提供）',
  'cli.web.opt.webPort': '浏览器视图的端口（0 = 任一空闲端口；{port} 被占用时改用一个空闲端口）',
  'cli.demo.usage':
    '$0 demo\n\n作业的正确做法，在本机端到端演示：启动实验服务器（要求 STARTTLS 和 AUTH），\n参考客户端给它发一封带文字和图片的邮件，显示每一步。\n然后打印这封邮件在浏览器视图中的链接，并一直提供服务直到按下 Ctrl-C\n（--no-web：邮件发出后就退出）。',
  'cli.demo.opt.mailbox': '把实验服务器的文件放在这里（默认：一个临时文件夹）',
  'cli.record.usage':
    '$0 record <场景> [--out FILE] [选项] -- COMMAND [ARGS...]\n\n在某个场景下运行一个已知正确的客户端，把它的会话保存为预期的会话记录：\n每个会话的客户端命令行和响应码，已规范化（EHLO 关键字按集合比较；主机名、\n凭据、日期、Message-ID、MIME 分界线和各种 id 已遮盖）。在场景中写上\n`expected-transcript: FILE` 并加上检查项 `matches-reference`：与之不同的运行\n会以一份差异说明判为不通过。\n\n客户端必须通过场景的所有检查项，否则什么也不写（--force 仍然写入）。\n退出状态：0 已记录，1 客户端未通过，2 用法或场景错误。',
  'cli.record.opt.scenario': '场景 id 或文件',
  'cli.record.opt.out': '会话记录写到哪里（默认：<scenario>.expected.json）',
  'cli.record.opt.timeout': '客户端被终止前的秒数',
  'cli.record.opt.force': '即使客户端未通过检查项也写入会话记录',
  'cli.record.example.1': '录制教师的参考答案',
  'cli.merge.usage':
    '$0 merge --out DIR SHARD_DIR...\n\n把 `grade-all --shard K/N`（全部 N 个）的输出目录合并成一个：scores.csv、summary.txt、\nbatch.json 和 students/<name>/，与一次不分片的运行写出的一样。用其他场景或选项评分的分片、\n缺少或重复的分片、出现在两个分片中的学生都会被拒绝。\n\n退出状态：0 已合并；2 分片无法合并（原因在一行中说明）；1 写入失败。',
  'cli.merge.opt.shards': '各分片的输出目录',
  'cli.merge.opt.out': '存放合并结果的文件夹',
  'cli.merge.example.1': '在八个 CI 作业写出 shard-1 ... shard-8 之后',
  'cli.autograder.usage':
    "$0 autograder --scenario ID [--scenario ID]... --command 'python3 smtp_client.py' [选项]\n\n写出 Gradescope 自动评分 zip：setup.sh（只安装镜像中缺少的：Node 20+、命令的解释器、\nbubblewrap，然后是 zip 内的 smtp-lab 包）、run_autograder（用这些选项给\n/autograder/submission 评分）以及打包好的 smtp-lab 本身。把这个 zip 上传为作业的自动评分程序。\n\n退出状态：0 已写出；2 用法或场景错误；1 打包或写入失败。",
  'cli.autograder.opt.scenario': '场景 id 或文件（可重复）；场景文件会放进 zip',
  'cli.autograder.opt.command': "学生的客户端，在其文件夹中运行，例如 'python3 smtp_client.py'",
  'cli.autograder.opt.timeout': '客户端被终止前的秒数（每个场景）',
  'cli.autograder.opt.require': '提交中必须包含的文件（默认：命令参数中指向文件的那些，例如 smtp_client.py）',
  'cli.autograder.opt.lang': '反馈的语言（以 SMTP_LAB_LANG 传给评分器，例如 zh-CN）',
  'cli.autograder.opt.sandbox':
    '在镜像允许时用 bubblewrap 评分（不允许时退回并说明）；--no-sandbox 则从不使用',
  'cli.autograder.opt.strict': '严格按 RFC 5321 语法判定',
  'cli.autograder.opt.out': '要写出的 zip',
  'cli.autograder.example.1': 'Python 作业：把 autograder.zip 上传到 Gradescope',
  'cli.autograder.example.2': 'Java 作业（镜像会装上 JDK），中文反馈',
  'cli.gradeAll.usage':
    "$0 grade-all --submissions DIR --command 'CMD {dir}/...' --scenario ID [--scenario ID]... [选项]\n\n用同一条命令和同一组场景并行评分 DIR 下的每个子文件夹（每个学生一个）。\n命令中的 {dir} 是该提交的文件夹（绝对路径），也是它的工作目录；命令字符串像 shell\n那样拆分（支持引号），但不经过 shell 运行。每次场景运行都有一个全新的实验服务器和\n`smtp-lab grade` 的环境变量。\n\n写出 OUT/scores.csv、OUT/summary.txt、OUT/batch.json 和 OUT/students/<name>/report.json，\n以及 --format 格式的报告；打印汇总表。\n\n退出状态：0 批量评分已完成，不论得分如何（学生程序的崩溃、挂起或刷屏都写在其报告中）；\n2 用法、场景或提交文件夹错误；1 批量评分本身失败（例如输出文件夹无法写入）。",
  'cli.gradeAll.opt.submissions': '每个学生一个子文件夹的文件夹',
  'cli.gradeAll.opt.command': "客户端命令；{dir} 是学生的文件夹，例如 'python3 {dir}/smtp_client.py'",
  'cli.gradeAll.opt.scenario': '场景 id 或文件（可重复）',
  'cli.gradeAll.opt.jobs': '同时进行的场景运行数（默认：CPU 个数）',
  'cli.gradeAll.opt.timeout': '客户端被终止前的秒数（每个场景）',
  'cli.gradeAll.opt.format': '每个学生的报告格式（总会同时写出 report.json）',
  'cli.gradeAll.opt.outDir': '存放 scores.csv、summary.txt、batch.json 和 students/<name>/ 的文件夹',
  'cli.gradeAll.opt.strict': '严格按 RFC 5321 语法判定',
  'cli.gradeAll.opt.workDir': '把每次运行的邮箱和原始会话记录保留在这里（默认：一个临时文件夹，用后删除）',
  'cli.gradeAll.opt.shard':
    '只评分 N 份中的第 K 份（K/N，1 <= K <= N <= 256），按文件夹名划分；用 `smtp-lab merge` 合并',
  'cli.gradeAll.opt.sandbox':
    '在 bubblewrap 中运行每个客户端：只读系统、只能访问自己的文件夹、只有回环网络、资源限制',
  'cli.gradeAll.example.1': '评分全班的 Python 客户端',
  'cli.gradeAll.example.2': '八个 CI 作业中的第二个，不可信的代码放进沙箱',
  'cli.gradeAll.example.3': 'Java 客户端，每个学生一份 Gradescope results.json',
  'cli.explain.usage':
    '$0 explain CODE [--json]\n\n解释 SMTP 响应码（RFC 5321、STARTTLS、AUTH）和/或 RFC 3463 增强状态码：含义、出现在哪里、客户端下一步该做什么。',
  'cli.explain.opt.code': '响应码（550）、增强状态码（5.1.1），或两者一起（"550 5.1.1"）',
  'cli.explain.opt.json': '以 JSON 输出解释',
  'cli.explain.example.1': '用错误凭据 AUTH 时的应答',
  'cli.explain.example.2': '单独一个增强状态码',
  'cli.explain.example.3': '响应码及其增强状态码',
  'cli.scenarios.usage': '$0 scenarios [--json]\n\n列出内置的实验场景：id、标题和要点。',
  'cli.scenarios.opt.json': '以 JSON 输出列表',
  'cli.checks.usage':
    '$0 checks [--json]\n\n列出场景可以引用的每个检查项 id：标题、判定依据，以及场景通常给它的级别。',
  'cli.checks.opt.json': '以 JSON 输出列表',
  'cli.grade.usage':
    '$0 grade --scenario ID [--scenario ID]... [选项] -- COMMAND [ARGS...]\n\n在全新的实验服务器上让客户端命令跑每个场景，并根据线上传输的字节评判它。\n命令会得到 SMTP_HOST、SMTP_PORT、SMTP_TLS、SMTP_USER、SMTP_PASS、SMTP_CA_FILE、MAIL_FROM、\nRCPT_TO（场景给出时还有 IMAGE_FILE、MAIL_SUBJECT、MAIL_BODY）、SMTP_TIMEOUT（它被终止前的\n秒数），除此之外拿不到本环境的任何变量；其参数中的 {host}、{port} 和 {tls} 会被替换。\n\n退出状态：0 所有检查项通过，1 有检查项未通过，2 用法或场景错误。',
  'cli.grade.opt.scenario': '场景 id 或文件（可重复）',
  'cli.grade.opt.timeout': '客户端被终止前的秒数（每个场景）；客户端以 SMTP_TIMEOUT 得到它',
  'cli.grade.opt.format': '报告格式',
  'cli.grade.opt.out': '把报告写到这个文件而不是标准输出',
  'cli.grade.opt.strict': '严格按 RFC 5321 语法判定',
  'cli.grade.opt.workDir': '把邮箱和会话记录保留在这里（默认：一个临时文件夹，用后删除）',
  'cli.grade.opt.sandbox':
    '在 bubblewrap 中运行客户端：只读系统、只能访问自己的文件夹、只有回环网络、资源限制',
  'cli.grade.example.1': '评分一个 Python 客户端',
  'cli.grade.example.2': 'Gradescope 格式的输出',
  'cli.lab.usage':
    '$0 lab <场景> [选项]\n\n在某个场景下启动实验服务器，把你自己的客户端指向它，查看每条应答的解释，\n并在每个会话结束时看到检查项的判定。<场景> 是内置 id（见 `smtp-lab scenarios`）\n或场景文件的路径。',
  'cli.lab.opt.scenario': '内置 id 或 .yaml 文件',
  'cli.lab.opt.port': '明文端口（0 = 任一空闲端口）',
  'cli.lab.opt.tlsPort': '隐式 TLS 端口，用于隐式 TLS 场景',
  'cli.lab.opt.mailbox': '存放邮件和会话记录的文件夹',
  'cli.lab.opt.strict': '严格按 RFC 5321 语法判定',
  'cli.lab.opt.explain': '解释每条应答（--no-explain：不解释）',
  'cli.lab.example.1': '作业本身：明文，没有 TLS',
  'cli.lab.example.2': '应答分成小片到达',
  'cli.serve.usage': '$0 serve [选项]\n\n在本机运行实验 SMTP 服务器，实时显示每个会话。',
  'cli.serve.opt.host':
    '监听的地址，SMTP 和浏览器视图共用（回环地址以外的任何地址都会把实验服务器暴露到网络上）',
  'cli.serve.opt.port': '支持 STARTTLS 的明文端口（0 = 任一空闲端口）',
  'cli.serve.opt.tlsPort': '隐式 TLS 端口，类似 465（0 = 任一空闲端口）',
  'cli.serve.opt.implicitTls': '在 --tls-port 上监听（--no-implicit-tls：不监听）',
  'cli.serve.opt.mailbox': '存放收到的邮件（<id>.eml + <id>.json）、会话记录和 ca.pem 的文件夹',
  'cli.serve.opt.user': '测试账号的用户名',
  'cli.serve.opt.pass': '测试账号的密码（实验用密码，不是真实密码）',
  'cli.serve.opt.auth': 'MAIL 之前的 AUTH：required（必需）、optional（可选）或 off（不提供）',
  'cli.serve.opt.requireTls': '在 STARTTLS 之前拒绝 AUTH 和 MAIL（如同 Gmail 的 587 端口）',
  'cli.serve.opt.maxSize': 'SIZE 上限：字节数，或带 K、M 或 G',
  'cli.serve.opt.traceHeaders': '在保存的邮件前加一个 Received: 首部',
  'cli.serve.opt.idleTimeout': '客户端沉默多少秒后发送 421',
  'cli.serve.opt.sessionTimeout': '一个会话总共最多持续多少秒，之后发送 421，不论客户端多忙',
  'cli.serve.opt.maxConnections':
    '同时打开的连接数；超出的得到 421（默认：打开文件数上限所允许的，最多 256）',
  'cli.serve.opt.maxPerClient': '来自同一客户端地址的同时连接数；超出的得到 421',
  'cli.serve.example.1': '明文+STARTTLS 在 127.0.0.1:2525，隐式 TLS 在 2465',
  'cli.serve.example.2': '任一空闲端口；必须 AUTH，且只能在 STARTTLS 之后',

  'cli.lab.title': 'smtp-lab lab：{id} - {title}',
  'cli.lab.pointAt': '把你的客户端指向：',
  'cli.lab.where': '主机 localhost（或 127.0.0.1），端口 {port}，TLS {tls}',
  'cli.lab.caFile': 'CA 文件 {file}',
  'cli.lab.account': '账号 {user} / {pass}',
  'cli.lab.subject': '主题 {subject}',
  'cli.lab.image': '图片 {file}',
  'cli.lab.environment': '环境变量，可直接粘贴（bash）：',
  'cli.lab.trustStore': '仅当你的客户端用系统信任库验证证书时（Python ssl、requests、curl）：',
  'cli.lab.trustStoreWarning':
    '  像上面这样只对一条命令设置这些变量，不要用 export：它们会替换整个 shell 信任的 CA，\n  同一个客户端随后就无法验证 smtp.qq.com 或 smtp.gmail.com 的证书。更好的做法：在代码中\n  读取 SMTP_CA_FILE，例如 ssl.create_default_context(cafile=os.environ["SMTP_CA_FILE"])。',
  'cli.lab.checks': '检查项：',
  'cli.lab.check.one': '{id}（{points} 分，{tier}）',
  'cli.lab.check.many': '{id}（{points} 分，{tier}）',
  'cli.lab.browser': '在浏览器中查看：',
  'cli.lab.waiting': '等待你的客户端；每个会话都会实时显示，并在结束时评判。按 Ctrl-C 停止。',
  'cli.lab.explained': '{title}：{next}',
  'cli.lab.stored': '已保存 {file}（及其 .json）',
  'cli.lab.checksFor.session': '本会话的检查结果：',
  'cli.lab.checksFor.sessions': '最近 {count} 个会话的检查结果（这个场景的要点跨越多个连接）：',
  'cli.lab.cause': '原因：{cause}',
  'cli.signal.stopping': '{signal}：正在停止',


  'cli.transcript.pieces': '分 {count} 片到达',
  'cli.transcript.bodyLine': '正文第 {n} 行',
  'cli.transcript.moreBodyLines.one': '（另有 {count} 行正文；共 {bytes} 字节）',
  'cli.transcript.moreBodyLines.many': '（另有 {count} 行正文；共 {bytes} 字节）',
  'cli.transcript.flagged.bareLfOne': '{count} 行正文以单独的 LF 结尾',
  'cli.transcript.flagged.bareLfMany': '{count} 行正文以单独的 LF 结尾',
  'cli.transcript.flagged.bareCrOne': '{count} 行正文中含有单独的 CR',
  'cli.transcript.flagged.bareCrMany': '{count} 行正文中含有单独的 CR',
  'cli.transcript.flagged.longOne': '{count} 行正文超过 998 个八位组',
  'cli.transcript.flagged.longMany': '{count} 行正文超过 998 个八位组',
  'cli.transcript.flagged.dotStartOne': '{count} 行正文以未加倍的 "." 开头（缺少句点填充）',
  'cli.transcript.flagged.dotStartMany': '{count} 行正文以未加倍的 "." 开头（缺少句点填充）',
  'cli.transcript.flagged.loneDotOne': '{count} 行正文只有一个 "."，却没有结束邮件',
  'cli.transcript.flagged.loneDotMany': '{count} 行正文只有一个 "."，却没有结束邮件',
  'cli.transcript.flag.bareLf': '单独的 LF',
  'cli.transcript.flag.bareCr': '行内有单独的 CR',
  'cli.transcript.flag.endsCr': '以单独的 CR 结尾',
  'cli.transcript.flag.noEnding': '没有行尾',
  'cli.transcript.flag.injected': 'STARTTLS 之后的明文：已忽略',
  'cli.transcript.flag.early': '在应答完整到达之前就发送了',
  'cli.transcript.flag.clipped': '{bytes} 字节，在此截断',
  'cli.transcript.flag.clippedOctets': '{octets} 个八位组，在此截断',

  'cli.commandError': 'smtp-lab {command}：{message}',
  'cli.usage.timeout': '--timeout 必须是大于 0 的秒数',
  'cli.grade.noCommand': "smtp-lab grade：请在 '--' 之后给出客户端命令，例如 -- python3 smtp_client.py",
  'cli.record.noCommand': "smtp-lab record：请在 '--' 之后给出客户端命令，例如 -- python3 smtp_client.py",
  'cli.record.neverConnected': 'smtp-lab record：客户端从未连接：没有可记录的内容',
  'cli.record.failed':
    'smtp-lab record：未记录，客户端未通过 {checks}（参考记录应来自已知正确的客户端；--force 仍然记录）',
  'cli.record.done':
    '已记录 {id}：{sessions} 个会话，{lines} 行 -> {file}\n使用方法：在场景中加上 "expected-transcript: {name}"（相对于场景文件）和检查项 matches-reference',
  'cli.merge.done.one': '已合并 {count} 个分片：{students} 个学生，写入 {out}',
  'cli.merge.done.many': '已合并 {count} 个分片：{students} 个学生，写入 {out}',
  'cli.gradeAll.jobs': '--jobs 必须是至少为 1 的数',
  'cli.gradeAll.noSubmissions': 'smtp-lab grade-all：{dir} 中没有提交文件夹',
  'cli.gradeAll.failed': 'smtp-lab grade-all：批量评分失败：{message}',
  'cli.gradeAll.reports': '报告：{dir}/<name>/report.json',
  'cli.gradeAll.reportsAnd': '报告：{dir}/<name>/report.json 和 {file}',
  'cli.gradeAll.shard': '分片 {index}/{count}：用 smtp-lab merge 合并各分片',
  'cli.gradeAll.sandboxed': '每个客户端都在沙箱中运行（bubblewrap，只有回环网络）',
  'cli.gradeAll.classIndex': '；全班：{file}',
  'cli.gradeAll.done': '{students} 个学生 x {scenarios} 个场景，用时 {seconds} 秒，同时 {jobs} 个',
  'cli.gradeAll.progress': '已评分 {done}/{total}：{name}：{line}',
  'cli.gradeAll.bar': '{bar} {done}/{total} {seconds} 秒  {name}：{line}',
  'cli.gradeAll.barEta': '{bar} {done}/{total} {seconds} 秒，约剩 {left} 秒  {name}：{line}',
  'cli.autograder.noDir': "命令在学生的文件夹中运行：请写 'python3 smtp_client.py'，而不是 {dir}/...",
  'cli.autograder.lang': "--lang 必须是语言标记，例如 zh-CN 或 en，而不是 '{value}'",
  'cli.autograder.sameName': '有两个场景文件都叫 {name}',
  'cli.autograder.pack': 'smtp-lab autograder：无法打包 smtp-lab：{message}',
  'cli.autograder.written':
    '{out}：setup.sh、run_autograder、{tarball}\n把它上传为作业的自动评分程序（Gradescope：Configure Autograder，Zip file upload）',
  'cli.autograder.writtenWithScenarios':
    '{out}：setup.sh、run_autograder、{tarball}、场景文件\n把它上传为作业的自动评分程序（Gradescope：Configure Autograder，Zip file upload）',
  'cli.demo.server': 'smtp-lab demo：实验服务器在 127.0.0.1:{port}（要求 STARTTLS 和 AUTH，CA {ca}）',
  'cli.demo.sending': '参考客户端以 {user} 的身份发送一封带文字和图片的邮件；密码来自 SMTP_PASS',
  'cli.demo.stored': '已保存 {file}（{size} 字节，sha256 {sha256}...）',
  'cli.demo.transcript': '会话记录 {file}',
  'cli.demo.browser': '在浏览器中查看：{link}',
  'cli.demo.browserWhat': '（邮件客户端显示的这封邮件、它的 MIME 各部分，以及传送它的会话）',
  'cli.demo.running': '实验服务器继续在 127.0.0.1:{port} 上运行；按 Ctrl-C 停止',
  'cli.web.portInUse': 'smtp-lab：--web-port {port} 已被占用（0 取任一空闲端口；--no-web：不提供浏览器视图）',
  'cli.serve.exposed': 'smtp-lab：警告：在 {host} 上监听会把实验服务器（及其测试账号）暴露到网络上',
  'cli.serve.exposedWeb':
    'smtp-lab：警告：在 {host} 上监听会把实验服务器（及其测试账号）以及其邮箱的浏览器视图暴露到网络上',
  'cli.serve.recovered':
    '邮箱：删除了 {removed} 个未完成的临时文件，把 {quarantined} 个写了一半的邮件文件移到 {dir}',
  'cli.serve.ready.plain':
    'smtp-lab 已就绪：SMTP+STARTTLS 在 {smtp}；CA {ca}；账号 {user} / {pass}；AUTH {auth}；邮箱 {mailbox}',
  'cli.serve.ready.tls':
    'smtp-lab 已就绪：SMTP+STARTTLS 在 {smtp}，隐式 TLS 在 {tls}；CA {ca}；账号 {user} / {pass}；AUTH {auth}；邮箱 {mailbox}',
  'cli.serve.ready.web':
    'smtp-lab 已就绪：SMTP+STARTTLS 在 {smtp}；CA {ca}；账号 {user} / {pass}；AUTH {auth}；邮箱 {mailbox}；浏览器视图 {web}',
  'cli.serve.ready.tlsWeb':
    'smtp-lab 已就绪：SMTP+STARTTLS 在 {smtp}，隐式 TLS 在 {tls}；CA {ca}；账号 {user} / {pass}；AUTH {auth}；邮箱 {mailbox}；浏览器视图 {web}',
  'cli.serve.stored': '已保存 {file}（{size} 字节）',
};
