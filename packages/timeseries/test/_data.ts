// Where the real data lives: ../shared/data beside the clone, or $WEIR_SHARED_DATA.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = process.env.WEIR_SHARED_DATA
  ? `${process.env.WEIR_SHARED_DATA.replace(/\/$/, '')}/`
  : fileURLToPath(new URL('../../../../shared/data/', import.meta.url));

/** Absolute path of a file under the shared data folder. */
export function dataPath(relative: string): string {
  return root + relative;
}

/** The text of a shared data file. */
export function readData(relative: string): string {
  return readFileSync(dataPath(relative), 'utf8');
}

/** True when the real data is absent: suites that need it are skipped. */
export const noRealData = !existsSync(`${root}hydrology/saqc/hydro_data.csv`);
/** A suite title that says why it is skipped when the data is absent. */
export function realDataTitle(name: string): string {
  return noRealData
    ? `${name} (skipped: real data not found at ${root}; set WEIR_SHARED_DATA)`
    : name;
}
