// Where the real data lives: ../shared/data beside the clone, or $WEIR_SHARED_DATA. Suites that
// need it are skipped, with the reason in their title, when it is absent.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = process.env.WEIR_SHARED_DATA
  ? `${process.env.WEIR_SHARED_DATA.replace(/\/$/, '')}/`
  : fileURLToPath(new URL('../../../../shared/data/', import.meta.url));

/** Absolute path of a file under the shared data's `geospatial/` folder. */
export function geoData(relative: string): string {
  return `${root}geospatial/${relative}`;
}

/** True when the real geospatial data is absent. */
export const noGeoData = !existsSync(geoData('elev.tif'));

/** A suite title that says why it is skipped when the data is absent. */
export function geoDataTitle(name: string): string {
  return noGeoData
    ? `${name} (skipped: real data not found at ${root}geospatial; set WEIR_SHARED_DATA)`
    : name;
}
