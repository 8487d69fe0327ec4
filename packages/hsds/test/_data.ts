// Where the real data lives: ../shared/data beside the clone, or $WEIR_SHARED_DATA. Suites that
// need it are skipped, with the reason in their title, when it is absent.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = process.env.WEIR_SHARED_DATA
  ? `${process.env.WEIR_SHARED_DATA.replace(/\/$/, '')}/`
  : fileURLToPath(new URL('../../../../shared/data/', import.meta.url));

/** Absolute path of a file under the shared data's `social-services/` folder. */
export function socialData(relative: string): string {
  return `${root}social-services/${relative}`;
}

/** True when the real social-services data is absent. */
export const noSocialData = !existsSync(socialData('agencies/211.csv'));

/** A suite title that says why it is skipped when the data is absent. */
export function socialDataTitle(name: string): string {
  return noSocialData
    ? `${name} (skipped: real data not found at ${root}social-services; set WEIR_SHARED_DATA)`
    : name;
}
