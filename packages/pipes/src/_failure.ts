/**
 * @module pipes/_failure
 * The errors a failed script ends with: its exit (a timeout, a signal, a non-zero code)
 * naming its Python exception and where it was raised, and a message on file descriptor 3 that broke the
 * weir_pipes protocol or was refused.
 */
import { relative, sep } from 'node:path';
import { EnvironmentError } from 'weir';
import { CLIENT_FILE } from './_client.js';
import type { Exit } from './_launch.js';
import { MESSAGES_FD, PROTOCOL, ProtocolError, type ScriptError } from './_protocol.js';
import type { Settings } from './_settings.js';
import { signalCause, signalName, signalOfExitCode } from './_signals.js';
import { crashFrame, type Frame, readTraceback } from './_traceback.js';
import { PythonScriptError } from './python-script-error.js';

/**
 * The error for how the script exited (timed out, killed, a non-zero code), or undefined if
 * it exited with code 0. `error` is the one the client reported on closing, if any.
 *
 * The message is one line (status and run summaries show a reason's first line): what ended
 * the script, the exception or the signal, and where. The whole traceback is said once: as the
 * error's stack when the client reported it (it then does not print it on stderr), or in the
 * step's log, where stderr goes line by line, when Python printed it there.
 */
export function exitFailure(
  exit: Exit,
  error: ScriptError | undefined,
  settings: Settings,
): PythonScriptError | undefined {
  const label = settings.label;
  const traceback = readTraceback(error, exit.stderr);
  const details = {
    script: label,
    exitCode: exit.code,
    signal: exit.signal,
    ...(traceback === undefined ? {} : { traceback: traceback.text }),
    stack: traceback?.source === 'client' ? traceback.text : undefined,
  };
  if (exit.timedOut) {
    return new PythonScriptError(
      `python script ${label} timed out after ${seconds(settings.timeoutMs!)}: its process group was killed`,
      details,
    );
  }
  if (exit.signal !== null) {
    return new PythonScriptError(
      `${settings.python} was killed by ${signalName(exit.signal)} running python script ${label}${crash(exit.signal, exit.stderr, settings)}`,
      details,
    );
  }
  if (exit.code === 0 || exit.code === null) return undefined;
  const exited = `python script ${label} exited with code ${exit.code}`;
  if (traceback?.exception !== undefined) {
    const at = traceback.frame === undefined ? '' : ` (${where(traceback.frame, settings)})`;
    return new PythonScriptError(`${exited}: ${traceback.exception}${at}`, details);
  }
  const signal = signalOfExitCode(exit.code);
  if (signal !== undefined && traceback === undefined) {
    return new PythonScriptError(
      `${exited}: the interpreter was probably killed by ${signalName(signal)} (${settings.python} reports that as 128 + ${exit.code - 128})${crash(signal, exit.stderr, settings)}`,
      details,
    );
  }
  const last = exit.stderr.findLast((line) => line.trim() !== '');
  return new PythonScriptError(
    last === undefined ? exited : `${exited}: ${last.trim()}${STDERR_IN_LOG}`,
    details,
  );
}

const STDERR_IN_LOG = " (the last line of its stderr; all of it is in the step's log)";

/** `: what usually sends it; the innermost Python frame was …`. */
function crash(signal: NodeJS.Signals, stderr: readonly string[], settings: Settings): string {
  const cause = signalCause(signal);
  const frame = crashFrame(stderr);
  return [
    cause === undefined ? '' : `: ${cause}`,
    frame === undefined
      ? ''
      : `; the innermost Python frame was ${where(frame, settings)} (the whole Python stack is in the step log)`,
  ].join('');
}

/** `in parse, scripts/peak.py line 4`: the file relative to where the script runs, when under it. */
function where(frame: Frame, settings: Settings): string {
  const base = settings.cwd ?? process.cwd();
  const file = frame.file.startsWith(`${base}${sep}`) ? relative(base, frame.file) : frame.file;
  return `${frame.name === undefined ? 'at' : `in ${frame.name},`} ${file} line ${frame.line}`;
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

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
