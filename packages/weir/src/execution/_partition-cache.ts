/**
 * A local cache of partitioned assets' state laid out by partition index, so planning over
 * 100,000 partitions reads a few typed arrays instead of 100,000 rows. It is derived from
 * the event log and checked against it: a snapshot records the last log position it covers
 * (and that event's timestamp, so a replaced log is noticed); rows changed since are read
 * from the log on top. A missing, foreign or corrupt file is ignored and rewritten.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DensePartitionStates, emptyDense } from '../versioning/index.js';

const MAGIC = 0x31435057; // 'WPC1'

export interface PartitionSnapshot {
  dense: DensePartitionStates;
  /** Every row change up to this event id is in `dense`. */
  throughId: number;
  /** The timestamp of event `throughId`, to recognise the log it came from. */
  throughTimestamp: number;
  /** How many partitions the stored snapshot holds (`dense` is resized to the space asked for). */
  storedSize?: number;
}

interface Header {
  assetKey: string;
  fingerprint: string;
  size: number;
  throughId: number;
  throughTimestamp: number;
  codeVersions: string[];
}

export class PartitionCache {
  constructor(private readonly dir: string) {}

  /** The snapshot of `assetKey` for a definition with `fingerprint`, resized to `size` partitions. */
  read(assetKey: string, fingerprint: string, size: number): PartitionSnapshot | undefined {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.path(assetKey));
    } catch {
      return undefined;
    }
    try {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (view.getUint32(0, true) !== MAGIC) return undefined;
      const headerLength = view.getUint32(4, true);
      const header = JSON.parse(bytes.toString('utf8', 8, 8 + headerLength)) as Header;
      if (header.assetKey !== assetKey || header.fingerprint !== fingerprint) return undefined;
      const n = header.size;
      const offset = align(8 + headerLength);
      if (bytes.byteLength !== offset + n * (5 * 8 + 4)) return undefined;
      const base = bytes.byteOffset + offset;
      const dense =
        n === size && base % 8 === 0 ? viewsOf(bytes.buffer, base, n) : emptyDense(size);
      if (dense.materializationId.buffer !== bytes.buffer) {
        // Another size (time has passed): copy what fits into arrays of the size asked for.
        const stored = viewsOf(bytes.buffer.slice(base, base + n * 44), 0, n);
        const keep = Math.min(n, size);
        dense.materializationId.set(stored.materializationId.subarray(0, keep));
        dense.usableId.set(stored.usableId.subarray(0, keep));
        dense.changedAt.set(stored.changedAt.subarray(0, keep));
        dense.inputsAsOf.set(stored.inputsAsOf.subarray(0, keep));
        dense.failureId.set(stored.failureId.subarray(0, keep));
        dense.codeIndex.set(stored.codeIndex.subarray(0, keep));
      }
      dense.codeVersions = header.codeVersions;
      return {
        dense,
        throughId: header.throughId,
        throughTimestamp: header.throughTimestamp,
        storedSize: n,
      };
    } catch {
      return undefined;
    }
  }

  write(assetKey: string, fingerprint: string, snapshot: PartitionSnapshot): void {
    const { dense } = snapshot;
    const size = dense.materializationId.length;
    const header: Header = {
      assetKey,
      fingerprint,
      size,
      throughId: snapshot.throughId,
      throughTimestamp: snapshot.throughTimestamp,
      codeVersions: dense.codeVersions,
    };
    const json = Buffer.from(JSON.stringify(header), 'utf8');
    const start = align(8 + json.byteLength);
    const out = Buffer.alloc(start + size * (5 * 8 + 4));
    out.writeUInt32LE(MAGIC, 0);
    out.writeUInt32LE(json.byteLength, 4);
    json.copy(out, 8);
    let offset = start;
    for (const column of [
      dense.materializationId,
      dense.usableId,
      dense.changedAt,
      dense.inputsAsOf,
      dense.failureId,
      dense.codeIndex,
    ]) {
      const bytes = Buffer.from(column.buffer, column.byteOffset, column.byteLength);
      bytes.copy(out, offset);
      offset += bytes.byteLength;
    }
    try {
      mkdirSync(this.dir, { recursive: true });
      const target = this.path(assetKey);
      const temp = `${target}.${process.pid}.tmp`;
      writeFileSync(temp, out);
      renameSync(temp, target);
    } catch {
      // A cache that cannot be written only costs speed next time.
    }
  }

  private path(assetKey: string): string {
    return join(
      this.dir,
      `${createHash('sha256').update(assetKey).digest('hex').slice(0, 32)}.bin`,
    );
  }
}

/** The six columns laid end to end from `offset` in `buffer`, as views (no copy). */
function viewsOf(buffer: ArrayBufferLike, offset: number, n: number): DensePartitionStates {
  const column = (i: number) => new Float64Array(buffer, offset + i * n * 8, n);
  return {
    materializationId: column(0),
    usableId: column(1),
    changedAt: column(2),
    inputsAsOf: column(3),
    failureId: column(4),
    codeIndex: new Uint32Array(buffer, offset + 5 * n * 8, n),
    codeVersions: [],
  };
}

function align(n: number): number {
  return Math.ceil(n / 8) * 8;
}
