/**
 * bin/review.mjs, run as a person runs it, in a temporary copy of the example folder (its bin/
 * and an inbox/): what it says when reviews/ cannot be written or read, and which export it
 * accepts.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/', import.meta.url));
const made: string[] = [];
afterAll(() => {
  for (const dir of made) {
    chmodSync(dir, 0o755);
    if (existsSync(join(dir, 'reviews'))) chmodSync(join(dir, 'reviews'), 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
});

const EXPORT = 'name,phone\nFood Bank,555-0100\n';
const VERSION = createHash('sha256').update(EXPORT).digest('hex');

/** A copy of the example's bin/ with inbox/dc-211.csv. */
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'review-cli-'));
  made.push(dir);
  cpSync(BIN, join(dir, 'bin'), { recursive: true });
  mkdirSync(join(dir, 'inbox'));
  writeFileSync(join(dir, 'inbox', 'dc-211.csv'), EXPORT);
  return dir;
}

function review(dir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [join(dir, 'bin', 'review.mjs'), ...args], {
    cwd: dir,
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const oneLine = (text: string) => text.trimEnd().split('\n').length === 1;

describe('bin/review.mjs', () => {
  it('accepts the current export, printing its version in full, and records who and when', () => {
    const dir = folder();
    const result = review(dir, 'accept', 'dc-211', '--by', 'Ana', '--note', 'closed a branch');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`(version ${VERSION}) accepted`);
    const reviews = JSON.parse(readFileSync(join(dir, 'reviews', 'dc-211.json'), 'utf8'));
    expect(reviews).toMatchObject([{ exportVersion: VERSION, by: 'Ana', note: 'closed a branch' }]);
  });

  it('--version must match the current export: the one checked, not one that arrived since', () => {
    const dir = folder();
    const stale = review(dir, 'accept', 'dc-211', '--version', 'abcdef012345', '--by', 'Ana');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toBe(
      `review: inbox/dc-211.csv is now version ${VERSION}, not abcdef012345: the export changed since it was checked; run weir materialize, look at the new export, and accept that one\n`,
    );
    expect(existsSync(join(dir, 'reviews'))).toBe(false);
    const short = review(dir, 'accept', 'dc-211', '--version', VERSION.slice(0, 8), '--by', 'Ana');
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('give at least 12 of its hex digits');
    const right = review(dir, 'accept', 'dc-211', '--version', VERSION.slice(0, 12), '--by', 'Ana');
    expect(right.code, right.stderr).toBe(0);
  });

  it('refuses an empty --by', () => {
    const dir = folder();
    const result = review(dir, 'accept', 'dc-211', '--by=');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'review: --by needs the name of the person who reviewed the export\n',
    );
    expect(existsSync(join(dir, 'reviews'))).toBe(false);
  });

  it('a corrupt reviews file: names it and says what to do, exit 1', () => {
    const dir = folder();
    mkdirSync(join(dir, 'reviews'));
    writeFileSync(join(dir, 'reviews', 'dc-211.json'), '[{"exportVersion": "ab",');
    const result = review(dir, 'accept', 'dc-211', '--by', 'Ana');
    expect(result.code).toBe(1);
    expect(oneLine(result.stderr)).toBe(true);
    expect(result.stderr).toMatch(
      /^review: reviews\/dc-211\.json is not valid JSON \(.+\): it is the audit trail of dc-211's reviews; restore it from your backup or version control, or remove it to start a new one\n$/,
    );
    expect(readFileSync(join(dir, 'reviews', 'dc-211.json'), 'utf8')).toBe(
      '[{"exportVersion": "ab",',
    );
  });

  it('an unwritable or unreadable reviews file: one line naming the path, exit 1, no stack', () => {
    // reviews is a file, not a folder
    const notFolder = folder();
    writeFileSync(join(notFolder, 'reviews'), '');
    const a = review(notFolder, 'accept', 'dc-211', '--by', 'Ana');
    expect(a.code).toBe(1);
    expect(oneLine(a.stderr)).toBe(true);
    expect(a.stderr).toMatch(
      /^review: cannot write reviews\/dc-211\.json.*: .*\(E[A-Z]+\); nothing was accepted\n$/,
    );
    // the temporary file cannot be written
    const blocked = folder();
    mkdirSync(join(blocked, 'reviews', 'dc-211.json.tmp'), { recursive: true });
    const b = review(blocked, 'accept', 'dc-211', '--by', 'Ana');
    expect(b.code).toBe(1);
    expect(b.stderr).toBe(
      'review: cannot write reviews/dc-211.json: illegal operation on a directory (EISDIR); nothing was accepted\n',
    );
    // the reviews file cannot be read
    const unreadable = folder();
    mkdirSync(join(unreadable, 'reviews', 'dc-211.json'), { recursive: true });
    const c = review(unreadable, 'accept', 'dc-211', '--by', 'Ana');
    expect(c.code).toBe(1);
    expect(c.stderr).toBe(
      'review: cannot read reviews/dc-211.json: illegal operation on a directory (EISDIR)\n',
    );
  });

  it.skipIf(process.getuid?.() === 0)(
    'a read-only reviews/ folder: one line naming the path, exit 1',
    () => {
      const dir = folder();
      mkdirSync(join(dir, 'reviews'));
      chmodSync(join(dir, 'reviews'), 0o555);
      const result = review(dir, 'accept', 'dc-211', '--by', 'Ana');
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        'review: cannot write reviews/dc-211.json: permission denied (EACCES); nothing was accepted\n',
      );
    },
  );
});
