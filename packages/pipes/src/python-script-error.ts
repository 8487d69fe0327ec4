/**
 * @module pipes/python-script-error
 * `PythonScriptError`: how a failed Python step reads, with the script's traceback as its stack
 * when nothing else shows it.
 */

/** A failed script: its exit, the exception in its message, and the Python traceback. */
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
      /**
       * The stack Weir records and `weir logs` prints: the Python traceback the client
       * reported, never a stack of ours. Without one (the traceback, if any, went to stderr,
       * which is in the step's log already), the error has no stack, so it is said once.
       */
      stack?: string | undefined;
    },
  ) {
    super(message);
    this.script = details.script;
    this.exitCode = details.exitCode ?? null;
    this.signal = details.signal ?? null;
    this.traceback = details.traceback;
    if (details.stack === undefined) delete this.stack;
    else this.stack = details.stack;
  }
}
