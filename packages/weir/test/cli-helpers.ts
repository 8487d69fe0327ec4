import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

const WEIR = fileURLToPath(new URL('../bin/weir.js', import.meta.url));
// Inside the workspace, so a project's `import 'weir'` resolves through node_modules.
const ROOT = fileURLToPath(new URL('../.test-projects/', import.meta.url));
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A project folder with these files (weir.config.ts among them). */
export function projectDir(files: Record<string, string>): string {
  const dir = join(
    ROOT,
    `p-${process.pid}-${made.length}-${Math.random().toString(36).slice(2, 8)}`,
  );
  made.push(dir);
  for (const [name, content] of Object.entries(files)) writeFile(join(dir, name), content);
  return dir;
}

export function writeFile(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `weir ARGS` in `cwd` as a user would, without a TTY. */
export function weir(cwd: string, ...args: string[]): CliResult {
  const result = spawnSync(process.execPath, [WEIR, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function weirJson<T>(cwd: string, ...args: string[]): T {
  const result = weir(cwd, ...args, '--json');
  if (result.code !== 0)
    throw new Error(`weir ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

export function spawnWeir(cwd: string, ...args: string[]): ChildProcess {
  return spawn(process.execPath, [WEIR, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
}

export async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export { existsSync };
