/**
 * @module definitions/selector
 * What schedules and sensor run requests select: selection text (`gauges/*`, `+gauges/peaks`)
 * or a list of asset definitions and keys, normalized to selection text the graph resolves.
 */
import { DefinitionError } from '../errors.js';

/** Selection text (see docs/selection.md), or the assets themselves (definitions or keys). */
export type Selector = string | readonly (string | { readonly key: string })[];

/**
 * The selection text of a selector: text as given, a list as the union of its keys.
 * Throws a `DefinitionError` naming `owner` for a blank or malformed selector.
 *
 * @example
 * selectionText([readings, 'gauges/peaks'], "schedule 'nightly'"); // 'gauges/readings, gauges/peaks'
 */
export function selectionText(selector: unknown, owner: string): string {
  const fail = (why: string): never => {
    throw new DefinitionError('E_DEFINITION', `${owner} selection ${why}`, {
      hint: "write selection text such as 'gauges/*' or '+gauges/peaks', or a list of assets",
    });
  };
  if (typeof selector === 'string') {
    if (selector.trim() === '') fail('is blank (write * for every asset)');
    return selector;
  }
  if (!Array.isArray(selector)) return fail('must be selection text or a list of assets');
  if (selector.length === 0) fail('is an empty list');
  return selector
    .map((entry: unknown, i) => {
      const key =
        typeof entry === 'string' ? entry : ((entry as { key?: unknown } | null)?.key ?? undefined);
      if (typeof key !== 'string' || key === '') {
        return fail(`[${i}] is neither an asset key nor an asset definition`);
      }
      // A key of digits only would read as a depth (`2+x`): spell it out.
      return /^\d+$/.test(key) ? `key:${key}` : key;
    })
    .join(', ');
}
