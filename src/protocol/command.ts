/** A client command line split into verb and argument text (RFC 5321 section 4.1.1). */
export interface Command {
  /** Upper-cased verb, e.g. "MAIL". */
  verb: string;
  /** Everything after the verb and one separating space, untouched. */
  args: string;
  /** True when the verb was sent in upper case, as RFC 5321 examples do (servers accept any case). */
  upperCase: boolean;
}

export function parseCommand(line: string): Command {
  const match = /^([A-Za-z][A-Za-z0-9-]*)(?: (.*))?$/s.exec(line);
  if (!match) return { verb: '', args: line, upperCase: false };
  const verb = match[1] ?? '';
  return { verb: verb.toUpperCase(), args: match[2] ?? '', upperCase: verb === verb.toUpperCase() };
}

/**
 * True when text contains a CR or LF: such text would inject a second command or header. The one
 * CR/LF guard: the client, the message builder, the CLI and the scenario loader all ask it.
 */
export function hasLineBreak(text: string): boolean {
  return /[\r\n]/.test(text);
}
