/**
 * StreamAlert's syslog pattern, `timestamp(Mon DD HH:MM:SS) host application[pid]: message`,
 * written for JavaScript: Python's `\w` and `\d` are Unicode-aware (so are these), its `.` stops
 * only at `\n`, and its `$` also matches before a final newline. Its `(\d{2}:?)+` and
 * `(\w[-]*)+` are written as the same languages with fewer repeated groups: V8 keeps a
 * backtracking entry per repetition of a group, which a host of megabytes would overflow.
 */
const SYSLOG =
  /^(?<timestamp>[\p{L}\p{N}_]{3}\s\p{Nd}{2}\s\p{Nd}{2}(?::?\p{Nd}{2})*:?)\s(?<host>[\p{L}\p{N}_][\p{L}\p{N}_-]*)\s(?<application>[\p{L}\p{N}_]+)(?:\[[\p{L}\p{N}_]+\])*:\s(?<message>[^\n]*)(?=\n?$)/u;

/** The fields StreamAlert's syslog parser yields; a syslog schema declares these keys. */
export const SYSLOG_FIELDS = ['timestamp', 'host', 'application', 'message'] as const;

/**
 * A syslog line's timestamp, host, application and message, or undefined when it is not one.
 *
 * @example
 *   readSyslog('Jan 10 19:35:33 web-1 sudo: session opened')  // { timestamp: 'Jan 10 19:35:33', host: 'web-1', application: 'sudo', message: 'session opened' }
 */
export function readSyslog(text: string): Record<string, string> | undefined {
  let groups: Record<string, string> | undefined;
  try {
    groups = SYSLOG.exec(text)?.groups;
  } catch (error) {
    // Only megabytes of timestamp digits or of [pid] groups get here: no syslog line has them.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
  return groups ? { timestamp: groups.timestamp!, host: groups.host!, application: groups.application!, message: groups.message! } : undefined;
}
