/**
 * @module postgres/_automation
 * The daemon's state in the PostgreSQL log: the newest tick of each sensor and schedule, the
 * newest evaluation of each automation condition, what is paused (`automation_state`), and
 * roles (one daemon at a time) claimed and released through weir_write.
 */
import type { AutomationRecords, RoleClaim, RoleHolder } from 'weir';
import type { Query } from './_query.js';
import { parseEvent } from './_records.js';
import type { Write } from './_writer.js';

export async function readAutomationRecords(
  query: Query,
  options: { conditions?: boolean },
): Promise<AutomationRecords> {
  const { rows } = await query<{ kind: string; name: string; id: number; body: string }>(
    `SELECT a.kind, a.name, e.id, e.body FROM automation_state a JOIN events e ON e.id = a.event_id
     WHERE $1 OR a.kind <> 'condition'`,
    [options.conditions ?? true],
  );
  const records: AutomationRecords = {
    sensors: new Map(),
    schedules: new Map(),
    conditions: new Map(),
    paused: new Set(),
  };
  for (const row of rows) {
    if (row.kind === 'paused') {
      records.paused.add(row.name);
      continue;
    }
    const event = parseEvent(row.id, row.body);
    if (event.type === 'sensor:ticked') records.sensors.set(row.name, event);
    else if (event.type === 'schedule:ticked') records.schedules.set(row.name, event);
    else if (event.type === 'automation:evaluated') records.conditions.set(row.name, event);
  }
  return records;
}

export async function claimRole(
  write: Write,
  role: string,
  holder: RoleHolder,
  at: number,
  options: { takeOver?: string },
): Promise<RoleClaim> {
  const result = await write({
    op: 'claim',
    role,
    id: holder.id,
    holder: JSON.stringify(holder),
    at,
    takeOver: options.takeOver ?? null,
  });
  if (result.held === true) return { held: true };
  return {
    held: false,
    holder: JSON.parse(result.holder as string) as RoleHolder,
    heartbeatAt: result.heartbeatAt as number,
  };
}

export async function releaseRole(write: Write, role: string, holderId: string): Promise<void> {
  await write({ op: 'release', role, id: holderId });
}
