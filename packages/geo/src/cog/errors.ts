/**
 * @module cog/errors
 * A file-system failure while writing a COG, with the system's code (ENOSPC, EACCES…) and the
 * file it happened on (the target, or one of the temporary files beside it).
 */

export class CogWriteError extends Error {
  override readonly name = 'CogWriteError';

  constructor(
    message: string,
    /** The system error code, e.g. `ENOSPC`. */
    readonly code: string,
    /** The file the failing operation was on. */
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Runs one file operation; a system error comes out as a `CogWriteError` that names the files. */
export async function io<T>(
  doing: string,
  file: string,
  target: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string' || error instanceof CogWriteError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    const where = file === target ? target : `${file} (beside ${target})`;
    throw new CogWriteError(
      `cannot write COG ${target}: ${code} while ${doing} ${where}: ${detail}`,
      code,
      file,
      {
        cause: error,
      },
    );
  }
}
