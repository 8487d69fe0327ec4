/**
 * Where the example's files are: its data (copied from the shared data set with their
 * licences) and the telemetry inbox the replay tool fills. Relative to the project folder,
 * which `weir` makes the working directory.
 */
export const DATA = 'data';
export const INBOX = 'inbox';
export const SAQC_DATA = `${DATA}/saqc/hydro_data.csv`;
export const SAQC_MAINTENANCE = `${DATA}/saqc/hydro_maint.csv`;
export const CAMELS = `${DATA}/camels_us`;

/** The inbox file of a month partition: key `2016-03-01` → `inbox/2016-03.csv`. */
export function inboxFileOf(monthKey: string): string {
  return `${INBOX}/${monthKey.slice(0, 7)}.csv`;
}
