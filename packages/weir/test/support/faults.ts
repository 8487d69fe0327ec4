/**
 * Fault injection for CLI tests: a read-only instance (chmod, or as root, a user who cannot
 * write it), a damaged page in the event log, and a small tmpfs for a full disk.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { CliResult } from '../cli-helpers.js';

const WEIR = fileURLToPath(new URL('../../bin/weir.js', import.meta.url));
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

/** Runs `weir ARGS` in `cwd`; as root, as an unprivileged user when `unprivileged` is set. */
export function weirAs(unprivileged: boolean, cwd: string, ...args: string[]): CliResult {
  const result = spawnSync(process.execPath, [WEIR, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    ...(unprivileged && isRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Makes a project and its instance read-only for the user `weirAs(true, …)` runs as: removes
 * write permission (root ignores it, so as root that user is `nobody`). Returns the undo.
 */
export function makeReadOnly(projectDir: string): () => void {
  const paths = [projectDir, ...walk(join(projectDir, '.weir'))];
  const modes = paths.map((path) => [path, statSync(path).mode & 0o777] as const);
  for (const [path, mode] of modes) chmodSync(path, mode & ~0o222);
  return () => {
    for (const [path, mode] of modes) chmodSync(path, mode);
  };
}

function walk(dir: string): string[] {
  return [
    dir,
    ...readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
    ),
  ];
}

/**
 * Damages one b-tree page of `table` in a closed SQLite file (its header made invalid), as a
 * bad sector or a torn write would: reads of that page fail with "malformed".
 */
export function damagePage(dbPath: string, table: string, which: 'first' | 'last' = 'first'): void {
  const db = new Database(dbPath, { readonly: true });
  const pages = db
    .prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno")
    .pluck()
    .all(table) as number[];
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const page = which === 'first' ? pages[0] : pages[pages.length - 1];
  if (page === undefined) throw new Error(`no leaf page of ${table} in ${dbPath}`);
  const bytes = readFileSync(dbPath);
  const at = (page - 1) * pageSize;
  bytes.fill(0xff, at, at + 8);
  writeFileSync(dbPath, bytes);
}

/** Mounts a tmpfs of `size` at `dir` (root only); a reason when that is not possible here. */
export function mountTmpfs(dir: string, size: string): { unmount: () => void } | string {
  if (!isRoot) return 'mounting a tmpfs needs root';
  mkdirSync(dir, { recursive: true });
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], {
    encoding: 'utf8',
  });
  if (mounted.status !== 0)
    return `mount -t tmpfs failed: ${mounted.stderr.trim() || mounted.error}`;
  return { unmount: () => void spawnSync('umount', [dir]) };
}
