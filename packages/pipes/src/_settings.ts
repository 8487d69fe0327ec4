/**
 * @module pipes/_settings
 * A Python step's options, validated once when the step is defined, and what is read from
 * them: the script's path, the step's code version, and the checks that the script and the
 * interpreter are there before a run.
 */
import { createHash } from 'node:crypto';
import { constants, readFileSync } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefinitionError, EnvironmentError, type JsonValue } from 'weir';
import { PROTOCOL } from './_protocol.js';
import type { PythonStepOptions } from './python-step.js';

export interface Settings {
  /** The script as the user named it, for messages. */
  label: string;
  script: string | URL;
  python: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  params: Readonly<Record<string, JsonValue>>;
  cwd: string | undefined;
  timeoutMs: number | undefined;
}

export function validate(options: PythonStepOptions): Settings {
  const owner = 'pythonStep()';
  if (typeof options !== 'object' || options === null) {
    throw new DefinitionError('E_DEFINITION', `${owner} needs options { script }`);
  }
  const { script } = options;
  if (!(script instanceof URL) && (typeof script !== 'string' || script === '')) {
    throw new DefinitionError('E_DEFINITION', `${owner} needs a script: a path or a file URL`);
  }
  if (script instanceof URL && script.protocol !== 'file:') {
    throw new DefinitionError('E_DEFINITION', `${owner} script ${script.href} is not a file URL`);
  }
  const label = script instanceof URL ? fileURLToPath(script) : script;
  const python = options.python ?? 'python3';
  if (typeof python !== 'string' || python === '') {
    throw new DefinitionError('E_DEFINITION', `${owner} python must be a command or a path`);
  }
  const args = options.args ?? [];
  if (!Array.isArray(args) || args.some((arg) => typeof arg !== 'string')) {
    throw new DefinitionError('E_DEFINITION', `${owner} args must be strings`);
  }
  const { timeoutMs } = options;
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new DefinitionError('E_DEFINITION', `${owner} timeoutMs must be a number > 0`);
  }
  const params = options.params ?? {};
  try {
    JSON.stringify(params);
  } catch (error) {
    throw new DefinitionError(
      'E_DEFINITION',
      `${owner} params are not JSON: ${(error as Error).message}`,
    );
  }
  return {
    label,
    script,
    python,
    args,
    env: options.env ?? {},
    params,
    cwd: options.cwd,
    timeoutMs,
  };
}

export function scriptPath(settings: Settings): string {
  if (settings.script instanceof URL) return fileURLToPath(settings.script);
  return resolve(settings.cwd ?? process.cwd(), settings.script);
}

/**
 * What changes the script's results: its bytes, the protocol, its args, env and params. Not
 * the interpreter: its path says where it is, not what it does (another venv with the same
 * Python is not a change of code), and its version would take a process start at every
 * project load (this is read synchronously, when the project's definitions are), while what
 * usually changes results across interpreters is the packages they import (numpy, torch),
 * which no version string of the interpreter covers.
 */
export function codeVersionOf(settings: Settings): string {
  const hash = createHash('sha256');
  let script: string;
  try {
    script = createHash('sha256')
      .update(readFileSync(scriptPath(settings)))
      .digest('hex');
  } catch {
    script = `missing ${settings.label}`;
  }
  hash.update(
    JSON.stringify({
      protocol: PROTOCOL,
      script,
      args: settings.args,
      env: settings.env,
      params: settings.params,
    }),
  );
  return `py-${hash.digest('hex').slice(0, 16)}`;
}

export async function checkScript(script: string, settings: Settings): Promise<void> {
  const info = await stat(script).catch(() => undefined);
  if (info?.isFile()) return;
  throw new EnvironmentError(
    'E_NOT_FOUND',
    `python script ${settings.label} ${info === undefined ? 'not found' : 'is not a file'} (${script})`,
    {
      hint:
        settings.script instanceof URL || isAbsolute(settings.label)
          ? 'check the path given to pythonStep({ script })'
          : `a relative script path counts from ${settings.cwd ?? process.cwd()} (the project folder); or pass new URL('./script.py', import.meta.url)`,
    },
  );
}

/** A missing interpreter named by a path is found here; one named as a command, at spawn. */
export async function checkInterpreter(python: string, label: string): Promise<void> {
  if (!python.includes('/')) return;
  const ok = await access(python, constants.X_OK).then(
    () => true,
    () => false,
  );
  if (!ok) throw missingInterpreter(python, label);
}

export function missingInterpreter(python: string, label: string): EnvironmentError {
  return new EnvironmentError(
    'E_NOT_FOUND',
    `cannot run python script ${label}: the interpreter '${python}' was not found${python.includes('/') ? ' (or is not executable)' : ' on PATH'}`,
    {
      hint: "install Python 3 (Debian: apt-get install python3) or name the interpreter with pythonStep({ python: '/path/to/python3' })",
    },
  );
}
