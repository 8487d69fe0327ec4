/**
 * @module postgres/_events
 * Reading events: the newest id, one event by id, the times of some, and a page by query.
 */
import type { EventQuery, StoredEvent } from 'weir';
import type { Query } from './_query.js';
import { parseEvent } from './_records.js';

export async function readLastEventId(query: Query): Promise<number> {
  const { rows } = await query<{ id: number }>(
    'SELECT coalesce(max(id), 0)::bigint AS id FROM events',
  );
  return rows[0]!.id;
}

export async function readEvent(query: Query, id: number): Promise<StoredEvent | undefined> {
  const { rows } = await query<{ id: number; body: string }>(
    'SELECT id, body FROM events WHERE id = $1',
    [id],
  );
  return rows[0] === undefined ? undefined : parseEvent(rows[0].id, rows[0].body);
}

export async function readEventTimes(
  query: Query,
  ids: readonly number[],
): Promise<Map<number, number>> {
  const times = new Map<number, number>();
  if (ids.length === 0) return times;
  const { rows } = await query<{ id: number; timestamp: number }>(
    'SELECT id, timestamp FROM events WHERE id = ANY($1::bigint[])',
    [ids],
  );
  for (const row of rows) times.set(row.id, row.timestamp);
  return times;
}

export async function readEvents(query: Query, options: EventQuery): Promise<StoredEvent[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (options.afterId !== undefined)
    where.push(`id ${options.descending ? '<' : '>'} ${param(options.afterId)}`);
  if (options.runId !== undefined) where.push(`run_id = ${param(options.runId)}`);
  if (options.assetKey !== undefined) where.push(`asset_key = ${param(options.assetKey)}`);
  if (options.types !== undefined && options.types.length > 0)
    where.push(`type = ANY(${param(options.types)}::text[])`);
  const sql =
    `SELECT id, body FROM events${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}` +
    ` ORDER BY id ${options.descending ? 'DESC' : 'ASC'}` +
    (options.limit !== undefined ? ` LIMIT ${param(options.limit)}` : '');
  const { rows } = await query<{ id: number; body: string }>(sql, params);
  return rows.map((row) => parseEvent(row.id, row.body));
}
