/**
 * @module storage/automation-state
 * What the event log keeps for the daemon beyond events: the newest automation records (a
 * daemon resumes from them) and roles (which process is the instance's daemon).
 */
import type { StoredEvent } from './events.js';

/**
 * The newest automation events: what a daemon resumes from after a restart (cursors, last
 * ticks, condition memory, what is paused). Index state, rebuilt from the events.
 */
export interface AutomationRecords {
  /** The newest `sensor:ticked` of each sensor, by name. */
  sensors: Map<string, StoredEvent<'sensor:ticked'>>;
  /** The newest `schedule:ticked` of each schedule, by name. */
  schedules: Map<string, StoredEvent<'schedule:ticked'>>;
  /** The newest `automation:evaluated` of each asset, by key. */
  conditions: Map<string, StoredEvent<'automation:evaluated'>>;
  /** Names (sensors, schedules, asset keys) whose newest pause or resume is a pause. */
  paused: Set<string>;
}

/** A process that holds (or asks for) a role of the instance, such as being its daemon. */
export interface RoleHolder {
  /** Unique per holder (a new id for each process start). */
  id: string;
  host: string;
  pid: number;
  /** As on `run:started`: tells a reused pid from the holder. */
  pidStart?: number;
}

export type RoleClaim =
  /** The caller holds the role now (its heartbeat set to the claim's time). */
  | { held: true }
  /** Another holder has it, last renewed at `heartbeatAt`. */
  | { held: false; holder: RoleHolder; heartbeatAt: number };
