/**
 * @module pipes/_failure
 * The errors a failed script ends with: its exit (a timeout, a signal, a non-zero code)
 * quoting the end of its Python traceback, and a message on file descriptor 3 that broke the
 * weir_pipes protocol or was refused.
 */
import { EnvironmentError } from 'weir';
import { CLIENT_FILE } from './_client.js';
import type { Exit } from './_launch.js';
import { MESSAGES_FD, PROTOCOL, ProtocolError, type ScriptError } from './_protocol.js';
import { PythonScriptError } from './python-script-error.js';

/** Frames of the traceback the error message quotes, before the exception. */
const TRACEBACK_FRAMES = 2;
/** Lines of stderr the error message quotes when there is no traceback. */
const TRACEBACK_TAIL = 6;

/**
 * The error for how the script exited (timed out, killed, a non-zero code), or undefined if
 * it exited with code 0. `error` is the one the client reported on closing, if any.
 */
export function exitFailure(
  exit: Exit,
  error: ScriptError | undefined,
  label: string,
  timeoutMs: number | undefined,
): PythonScriptError | undefined {
  const tail = tracebackTail(error, exit.stderr);
  if (exit.timedOut) {
    return new PythonScriptError(
      `python script ${label} timed out after ${seconds(timeoutMs!)}: its process group was killed`,
      { script: label, signal: exit.signal, ...withTraceback(tail) },
    );
  }
  if (exit.signal !== null) {
    return new PythonScriptError(
      `python script ${label} was killed by ${exit.signal}${exit.signal === 'SIGKILL' ? ' (out of memory?)' : ''}${tail.quote}`,
      { script: label, signal: exit.signal, ...withTraceback(tail) },
    );
  }
  if (exit.code !== 0) {
    return new PythonScriptError(
      `python script ${label} exited with code ${exit.code}${tail.quote}`,
      {
        script: label,
        exitCode: exit.code,
        ...withTraceback(tail),
      },
    );
  }
  return undefined;
}

export function protocolFailure(error: unknown, label: string, lineNo: number): Error {
  if (error instanceof ProtocolError && error.version !== undefined) {
    return new EnvironmentError(
      'E_USER_CODE',
      `python script ${label} speaks weir_pipes protocol ${JSON.stringify(error.version)}; this @weir/pipes speaks ${PROTOCOL}`,
      {
        hint: `import the ${CLIENT_FILE} that @weir/pipes puts on PYTHONPATH (remove other copies from the script's folder and site-packages), or upgrade @weir/pipes`,
      },
    );
  }
  if (error instanceof ProtocolError) {
    return new PythonScriptError(
      `python script ${label} broke the weir_pipes protocol: message ${lineNo} on file descriptor ${MESSAGES_FD} is ${error.message}; the script was stopped (print() goes to the step's log through stdout; file descriptor ${MESSAGES_FD} is for weir_pipes only)`,
      { script: label },
    );
  }
  // onMessage refused a well-formed message (ctx.addMetadata, ctx.setDataVersion threw).
  return new PythonScriptError(
    `python script ${label}: message ${lineNo} was refused: ${(error as Error).message}`,
    { script: label },
  );
}

interface Tail {
  /** `:\n` and the quoted lines, or '' when there is nothing to quote. */
  quote: string;
  traceback: string | undefined;
}

/** The last lines of the Python traceback: reported by the client, else read from stderr. */
function tracebackTail(error: ScriptError | undefined, stderr: readonly string[]): Tail {
  let traceback: string | undefined;
  let body: string[];
  if (error !== undefined && error.traceback !== '') {
    traceback = error.traceback.trimEnd();
    body = traceback.split('\n');
  } else {
    const start = stderr.lastIndexOf('Traceback (most recent call last):');
    if (start >= 0) {
      body = stderr.slice(start);
      traceback = body.join('\n').trimEnd();
    } else {
      body = stderr.filter((line) => line.trim() !== '');
    }
  }
  // Python 3.11's ^^^ and ~~~ markers under a line say where in it; the message keeps the lines.
  const kept = body.filter(
    (line) => !line.startsWith('Traceback (most recent call last)') && !/^\s*[~^]+\s*$/.test(line),
  );
  const frames = kept.flatMap((line, i) => (line.startsWith('  File "') ? [i] : []));
  const quoted =
    frames.length === 0
      ? kept.slice(-TRACEBACK_TAIL)
      : kept.slice(frames[Math.max(0, frames.length - TRACEBACK_FRAMES)]);
  return { quote: quoted.length === 0 ? '' : `:\n${quoted.join('\n')}`, traceback };
}

function withTraceback(tail: Tail): { traceback?: string } {
  return tail.traceback === undefined ? {} : { traceback: tail.traceback };
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
