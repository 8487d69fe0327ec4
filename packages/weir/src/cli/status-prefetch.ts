/**
 * @module cli/status-prefetch
 * The thread that reads an embedded instance's status rows and checks their artefacts while
 * the command's thread loads the project (see `_status-prefetch.ts`). It only reads.
 */
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { LocalArtefactStore } from '../artefacts/index.js';
import { SqliteEventLog } from '../storage/index.js';
import type { StatusPrefetch } from './_status-prefetch.js';

const { dir } = workerData as { dir: string };
const eventLog = new SqliteEventLog(join(dir, 'events.db'), { readOnly: true });
try {
  // The newest event first: rows read after an append are then older than the log, never newer.
  const lastEventId = await eventLog.lastEventId();
  const rows = await eventLog.statusRows();
  // The artefacts the read path probes: those of rows whose newest materialization is usable.
  const probed = rows
    .filter((row) => row.usableId !== 0 && row.usableId === row.materializationId)
    .map((row) => ({ location: row.location!, storedAt: row.endedAt }));
  const artefacts = new LocalArtefactStore(join(dir, 'artefacts'), { readOnly: true });
  const health = await artefacts.verifyMany(probed);
  const prefetch: StatusPrefetch = {
    dir,
    lastEventId,
    rows,
    health: probed.map((p, i) => [p.location, p.storedAt, health[i]!]),
  };
  parentPort!.postMessage(prefetch);
} finally {
  await eventLog.close();
}
