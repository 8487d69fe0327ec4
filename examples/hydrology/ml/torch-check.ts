/**
 * Whether an interpreter can import torch and numpy, asked before a training starts: without
 * them the step fails at once with what to install, instead of a ModuleNotFoundError from the
 * script. It looks the modules up (importlib.util.find_spec, ~20 ms) without importing torch
 * (~1 s).
 */
import { execFile } from 'node:child_process';
import { EnvironmentError } from 'weir';

const FIND = [
  'import importlib.util, sys',
  "missing = [m for m in ('torch', 'numpy') if importlib.util.find_spec(m) is None]",
  "print(' '.join(missing))",
].join('\n');

/** The modules `python` cannot find (empty when torch and numpy are there). */
export function missingModules(python: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(python, ['-c', FIND], { timeout: 30_000 }, (error, stdout) => {
      if (error !== null) {
        const code = (error as NodeJS.ErrnoException).code;
        reject(
          new EnvironmentError(
            'E_NOT_FOUND',
            code === 'ENOENT'
              ? `the PyTorch model needs the interpreter ${python}, which was not found (${TORCH_HINT})`
              : `the PyTorch model cannot ask ${python} for its modules: ${error.message}`,
            { hint: TORCH_HINT },
          ),
        );
        return;
      }
      resolve(stdout.trim() === '' ? [] : stdout.trim().split(' '));
    });
  });
}

export const TORCH_HINT =
  'on Debian: apt-get install python3-torch (PyTorch 1.13 and numpy for /usr/bin/python3); or set HYDRO_TORCH_PYTHON to an interpreter that has torch and numpy';

/** Throws an EnvironmentError (not retried) naming what `python` lacks and how to get it. */
export async function requireTorch(python: string): Promise<void> {
  const missing = await missingModules(python);
  if (missing.length === 0) return;
  throw new EnvironmentError(
    'E_NOT_FOUND',
    // The hint is in the message too: a failed step's summary shows the message only.
    `the PyTorch model needs ${missing.join(' and ')}, which ${python} cannot import (${TORCH_HINT})`,
    { hint: TORCH_HINT },
  );
}
