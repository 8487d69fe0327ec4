/**
 * @module daemon
 * The daemon: sensors, schedules, observations on a cadence and automation conditions,
 * launching runs with their reasons, one daemon per instance; and the notifications it sends.
 */

export type { LaunchEnd, RunOrder } from './_launcher.js';
export {
  type AutomationEntry,
  automationEntries,
  checkAutomationName,
  setPaused,
} from './automation-list.js';
export {
  Daemon,
  type DaemonActivity,
  type DaemonOptions,
  type PassReport,
} from './daemon.js';
