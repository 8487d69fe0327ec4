/**
 * Group commit: the writes one log issues while its previous group is on the server (steps in
 * flight finishing together) go as the next group, in one call of weir_write(): one round
 * trip and one transaction, each write in a subtransaction of its own so one that fails fails
 * alone, and each caller hears of its write only once the group has committed. Groups of one
 * log go one after another, so its writes are recorded in the order they were issued.
 */
import type pg from 'pg';

/** One write of a group, as weir_write() takes it. */
export type WriteOp = { op: string } & Record<string, unknown>;

/** What weir_write() answers for one write: `error` and `code` when it failed. */
export type WriteResult = Record<string, unknown> & { error?: string; code?: string };

/** A write of the log: sent with the next group, answered once the group has committed. */
export type Write = (op: WriteOp) => Promise<WriteResult>;

interface Pending {
  op: WriteOp;
  resolve: (result: WriteResult) => void;
  reject: (error: unknown) => void;
}

export class Writer {
  private queue: Pending[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly restate: (error: unknown) => unknown,
  ) {}

  /** Sends `op` with the next group; resolves with its result once the group committed. */
  submit(op: WriteOp): Promise<WriteResult> {
    return new Promise<WriteResult>((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      // Writes issued in the same turn of the event loop start together.
      this.running ??= new Promise<void>((started) => queueMicrotask(started)).then(() =>
        this.drain(),
      );
    });
  }

  /** Resolves when every write submitted so far has been answered. */
  async idle(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        let results: WriteResult[];
        try {
          // Named: each connection parses and plans it once.
          const { rows } = await this.pool.query<{ results: WriteResult[] }>({
            name: 'weir_write',
            text: 'SELECT weir_write($1::jsonb) AS results',
            values: [JSON.stringify(batch.map((pending) => pending.op))],
          });
          results = rows[0]!.results;
        } catch (error) {
          const restated = this.restate(error);
          for (const pending of batch) pending.reject(restated);
          continue;
        }
        batch.forEach((pending, i) => {
          const result = results[i]!;
          if (result.error !== undefined) pending.reject(this.restate(writeError(result)));
          else pending.resolve(result);
        });
      }
    } finally {
      this.running = undefined;
    }
  }
}

/** A failed write's result as an Error carrying its SQLSTATE, as pg reports errors. */
function writeError(result: WriteResult): Error {
  const error = new Error(result.error) as Error & { code?: string };
  if (result.code !== undefined) error.code = result.code;
  return error;
}
