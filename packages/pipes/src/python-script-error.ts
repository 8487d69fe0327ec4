/**
 * @module pipes/python-script-error
 * `PythonScriptError`: how a failed Python step reads, with the script's traceback as its stack.
 */

/** A failed script: its exit, and the Python traceback as the error's stack. */
export class PythonScriptError extends Error {
  override readonly name = 'PythonScriptError';
  readonly script: string;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The Python traceback, when the script printed or reported one. */
  readonly traceback: string | undefined;

  constructor(
    message: string,
    details: {
      script: string;
      exitCode?: number | null;
      signal?: NodeJS.Signals | null;
      traceback?: string;
    },
  ) {
    super(message);
    this.script = details.script;
    this.exitCode = details.exitCode ?? null;
    this.signal = details.signal ?? null;
    this.traceback = details.traceback;
    // The stack Weir records and `weir logs` prints: the Python one, not ours.
    this.stack = details.traceback ?? `${this.name}: ${message}`;
  }
}
