/**
 * Two processes creating one event log at once: SQLite refuses the second at once (rather than
 * wait, which could deadlock) while the first writes the new file's first transaction, so
 * opening must wait and try again instead of failing with "stayed locked … too long".
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteEventLog } from '../src/index.js';
import { tempDir } from './helpers.js';

/** Creates the file and holds its first write transaction (rollback mode) for 300 ms. */
const HOLDER = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1]);
db.exec('BEGIN IMMEDIATE; CREATE TABLE first_writer (x)');
process.stdout.write('holding\\n');
setTimeout(() => { db.exec('COMMIT'); db.close(); }, 300);
`;

describe('opening a new event log while another process creates it', () => {
  it('waits for the other process instead of failing', async () => {
    const path = join(tempDir(), 'events.db');
    const holder = spawn(process.execPath, ['-e', HOLDER, path], {
      cwd: join(import.meta.dirname, '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => holder.on('exit', resolve));
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    const log = new SqliteEventLog(path);
    try {
      expect(await log.events()).toEqual([]);
    } finally {
      await log.close();
      await exited;
    }
  });
});
