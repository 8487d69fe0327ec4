/**
 * @module pipes/_traceback
 * Reading a Python traceback (reported by the client, or printed on stderr) and a
 * faulthandler dump (printed on stderr when the interpreter crashes): the exception line and
 * the innermost frame, which a failed step's one-line message quotes.
 */
import type { ScriptError } from './_protocol.js';

export interface Frame {
  file: string;
  line: number;
  /** The function, `<module>` at the top level; absent for a syntax error's location. */
  name: string | undefined;
}

export interface Traceback {
  /** The whole traceback as Python prints it. */
  text: string;
  /** `KeyError: 'stage'`: the exception's type and the first line of its message. */
  exception: string | undefined;
  /** The innermost frame, where the exception was raised. */
  frame: Frame | undefined;
  /** Where it came from: reported on closing (then not printed on stderr) or read from stderr. */
  source: 'client' | 'stderr';
}

const HEADER = 'Traceback (most recent call last):';
// `  File "x.py", line 5, in f` in a traceback; `  File "x.py", line 5 in f` in a faulthandler dump.
const FRAME = /^ {2}File "(.*)", line (\d+)(?:,? in (.*))?$/;
// The exception line: a (dotted) name, then `: message` or nothing.
const EXCEPTION = /^[A-Za-z_][\w.]*(?::(?: .*)?)?$/;

/** The traceback the client reported, else the last one on stderr, else undefined. */
export function readTraceback(
  error: ScriptError | undefined,
  stderr: readonly string[],
): Traceback | undefined {
  if (error !== undefined && error.traceback !== '') {
    const text = error.traceback.trimEnd();
    const lines = text.split('\n');
    const message = firstLine(error.message);
    return {
      text,
      exception:
        exceptionLine(lines) ?? (message === '' ? error.type : `${error.type}: ${message}`),
      frame: innermost(lines),
      source: 'client',
    };
  }
  const start = tracebackStart(stderr);
  if (start < 0) return undefined;
  const lines = stderr.slice(start);
  return {
    text: lines.join('\n').trimEnd(),
    exception: exceptionLine(lines),
    frame: innermost(lines),
    source: 'stderr',
  };
}

/** The innermost frame of a faulthandler dump on stderr ("most recent call first"). */
export function crashFrame(stderr: readonly string[]): Frame | undefined {
  const start = stderr.findLastIndex((line) =>
    /^(Current|Thread) .*\(most recent call first\):$/.test(line),
  );
  if (start < 0) return undefined;
  const match = FRAME.exec(stderr[start + 1] ?? '');
  return match === null ? undefined : frameOf(match);
}

/**
 * Where the last traceback on stderr starts: its header, or, for a syntax error in the
 * script itself (printed without one), its first frame.
 */
function tracebackStart(stderr: readonly string[]): number {
  const header = stderr.lastIndexOf(HEADER);
  if (header >= 0) return header;
  // `  File "x.py", line 2`: a location without a function (a faulthandler dump names one).
  const first = stderr.findIndex((line) => {
    const frame = FRAME.exec(line);
    return frame !== null && frame[3] === undefined;
  });
  if (first < 0 || exceptionLine(stderr.slice(first)) === undefined) return -1;
  return first;
}

/** The exception line: the first unindented line after the last frame. */
function exceptionLine(lines: readonly string[]): string | undefined {
  const last = lines.findLastIndex((line) => FRAME.test(line));
  if (last < 0) return undefined;
  const at = lines.findIndex((line, i) => i > last && line !== '' && !/^\s/.test(line));
  if (at < 0 || !EXCEPTION.test(lines[at]!)) return undefined;
  // A message of several lines (or notes added to the exception): its first line, and a mark.
  const more = lines.slice(at + 1).some((line) => line.trim() !== '');
  return more ? `${lines[at]} …` : lines[at];
}

function innermost(lines: readonly string[]): Frame | undefined {
  const last = lines.findLast((line) => FRAME.test(line));
  const match = last === undefined ? null : FRAME.exec(last);
  return match === null ? undefined : frameOf(match);
}

function frameOf(match: RegExpExecArray): Frame {
  return { file: match[1]!, line: Number(match[2]), name: match[3] };
}

function firstLine(text: string): string {
  const newline = text.indexOf('\n');
  return newline < 0 ? text : `${text.slice(0, newline)} …`;
}
