/**
 * @module daemon/_role
 * Being the instance's daemon: one process at a time holds the `daemon` role (the event
 * log's `claimRole`), renewing it at every pass; the others stand by. A holder whose process
 * is gone (same host) or that has not renewed within `staleMs` (any host) is taken over. So
 * two daemons never launch runs for the same change, and a killed daemon is replaced.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { isAlive, processStart } from '../artefacts/index.js';
import type { EventLog, RoleHolder } from '../storage/index.js';

export const DAEMON_ROLE = 'daemon';

export type Standing =
  | { leader: true; tookOver?: RoleHolder }
  | { leader: false; holder: RoleHolder; heartbeatAt: number };

export class DaemonRole {
  readonly me: RoleHolder;

  constructor(
    private readonly eventLog: EventLog,
    private readonly staleMs: number,
  ) {
    const pidStart = processStart(process.pid);
    this.me = {
      id: randomUUID(),
      host: hostname(),
      pid: process.pid,
      ...(pidStart === undefined ? {} : { pidStart }),
    };
  }

  /** Claims or renews the role at `now`, taking it over from a dead or silent holder. */
  async claim(now: number): Promise<Standing> {
    const first = await this.eventLog.claimRole(DAEMON_ROLE, this.me, now);
    if (first.held) return { leader: true };
    if (!this.gone(first.holder, first.heartbeatAt, now)) {
      return { leader: false, holder: first.holder, heartbeatAt: first.heartbeatAt };
    }
    const second = await this.eventLog.claimRole(DAEMON_ROLE, this.me, now, {
      takeOver: first.holder.id,
    });
    return second.held
      ? { leader: true, tookOver: first.holder }
      : { leader: false, holder: second.holder, heartbeatAt: second.heartbeatAt };
  }

  async release(): Promise<void> {
    await this.eventLog.releaseRole(DAEMON_ROLE, this.me.id);
  }

  private gone(holder: RoleHolder, heartbeatAt: number, now: number): boolean {
    if (holder.host === this.me.host && holder.pid !== process.pid) {
      if (!isAlive(holder.pid, holder.pidStart)) return true;
    }
    return now - heartbeatAt > this.staleMs;
  }
}
