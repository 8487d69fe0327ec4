/**
 * @module instance/_variables
 * The environment variables that configure an instance, and a check that none is misspelt: a
 * `WEIR_ARTIFACTS` that Weir would silently ignore sends a cluster's artefacts to a local
 * folder, so a near miss of one of them is an error that names the right one.
 */
import { closestMatches, EnvironmentError } from '../errors.js';

/** The variables an instance reads (besides the AWS SDK's own). */
export const INSTANCE_VARIABLES = ['WEIR_DATABASE_URL', 'WEIR_ARTEFACTS', 'WEIR_S3_ENDPOINT'];

/** Other variables Weir reads: never taken for a misspelling. */
const OTHER_VARIABLES = new Set([
  'WEIR_NOW',
  'WEIR_TOKEN',
  'WEIR_VIEWER_TOKEN',
  'WEIR_IN_PROCESS',
  'WEIR_SHARED_DATA',
  'WEIR_PIPES_CONTEXT',
  'WEIR_PIPES_MESSAGES',
  'WEIR_LAUNCH_ID',
  'WEIR_PROJECT',
  'WEIR_ROOT',
]);

/** Throws when a set `WEIR_*` variable looks like a misspelt instance variable. */
export function checkVariableNames(env: Readonly<Record<string, string | undefined>>): void {
  for (const name of Object.keys(env)) {
    if (!name.startsWith('WEIR_') || INSTANCE_VARIABLES.includes(name)) continue;
    if (OTHER_VARIABLES.has(name) || env[name] === undefined || env[name] === '') continue;
    const [closest] = closestMatches(name, INSTANCE_VARIABLES, 1);
    if (closest === undefined || distance(name, closest) > 4) continue;
    throw new EnvironmentError(
      'E_USAGE',
      `${name} is set, but Weir reads no such variable: did you mean ${closest}?`,
      { hint: `rename it to ${closest} (instance variables: ${INSTANCE_VARIABLES.join(', ')})` },
    );
  }
}

/** Levenshtein distance (short strings). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}
