/**
 * @module storage/sqlite/_automation
 * Automation state in the SQLite event log: the `automation_state` index (the newest tick of
 * each sensor and schedule, the newest evaluation of each asset's condition, what is paused)
 * kept by automation events, and `roles` (which process is the instance's daemon).
 */
import type Database from 'better-sqlite3';
import type { AutomationRecords, RoleClaim, RoleHolder } from '../event-log.js';
import type { StoredEvent } from '../events.js';
import { parse, type Row } from './_rows.js';

type KindRow = Row & { kind: string; name: string };

export class AutomationTable {
  private readonly upsert: Database.Statement;
  private readonly unpause: Database.Statement;
  private readonly readAll: Database.Statement;
  private readonly roleOf: Database.Statement;
  private readonly setRole: Database.Statement;
  private readonly dropRole: Database.Statement;

  constructor(db: Database.Database) {
    this.upsert = db.prepare(
      `INSERT INTO automation_state (kind, name, event_id) VALUES (@kind, @name, @id)
       ON CONFLICT (kind, name) DO UPDATE SET event_id = excluded.event_id`,
    );
    this.unpause = db.prepare(
      "DELETE FROM automation_state WHERE kind = 'paused' AND name = @name",
    );
    this.readAll = db.prepare(
      `SELECT a.kind, a.name, e.id, e.body
       FROM automation_state a JOIN events e ON e.id = a.event_id
       WHERE @conditions OR a.kind != 'condition'`,
    );
    this.roleOf = db.prepare(
      'SELECT holder_id, holder, heartbeat_at FROM roles WHERE role = @role',
    );
    this.setRole = db.prepare(
      `INSERT INTO roles (role, holder_id, holder, heartbeat_at) VALUES (@role, @id, @holder, @at)
       ON CONFLICT (role) DO UPDATE SET holder_id = excluded.holder_id, holder = excluded.holder,
         heartbeat_at = excluded.heartbeat_at`,
    );
    this.dropRole = db.prepare('DELETE FROM roles WHERE role = @role AND holder_id = @id');
  }

  /** Run inside a write transaction (the log's group commit), so the check and the take are one. */
  claimRole(role: string, holder: RoleHolder, at: number, takeOver?: string): RoleClaim {
    const current = this.roleOf.get({ role }) as
      | { holder_id: string; holder: string; heartbeat_at: number }
      | undefined;
    if (
      current !== undefined &&
      current.holder_id !== holder.id &&
      current.holder_id !== takeOver
    ) {
      return {
        held: false,
        holder: JSON.parse(current.holder) as RoleHolder,
        heartbeatAt: current.heartbeat_at,
      };
    }
    this.setRole.run({ role, id: holder.id, holder: JSON.stringify(holder), at });
    return { held: true };
  }

  /** Keeps the index for one appended event (inside the append's transaction). */
  index(event: StoredEvent): void {
    switch (event.type) {
      case 'sensor:ticked':
        this.upsert.run({ kind: 'sensor', name: event.name, id: event.id });
        break;
      case 'schedule:ticked':
        this.upsert.run({ kind: 'schedule', name: event.name, id: event.id });
        break;
      case 'automation:evaluated':
        this.upsert.run({ kind: 'condition', name: event.assetKey, id: event.id });
        break;
      case 'automation:paused':
        this.upsert.run({ kind: 'paused', name: event.name, id: event.id });
        break;
      case 'automation:resumed':
        this.unpause.run({ name: event.name });
        break;
    }
  }

  records(conditions: boolean): AutomationRecords {
    const records: AutomationRecords = {
      sensors: new Map(),
      schedules: new Map(),
      conditions: new Map(),
      paused: new Set(),
    };
    for (const row of this.readAll.all({ conditions: conditions ? 1 : 0 }) as KindRow[]) {
      const event = parse(row.id, row.body);
      if (row.kind === 'paused') records.paused.add(row.name);
      else if (event.type === 'sensor:ticked') records.sensors.set(row.name, event);
      else if (event.type === 'schedule:ticked') records.schedules.set(row.name, event);
      else if (event.type === 'automation:evaluated') records.conditions.set(row.name, event);
    }
    return records;
  }

  releaseRole(role: string, holderId: string): void {
    this.dropRole.run({ role, id: holderId });
  }
}
