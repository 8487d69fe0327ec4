/**
 * @module versioning/code-changes
 * What changed between the code parts a materialization recorded and the current ones, in
 * words (`code changed: function normalizePhone in src/phone.ts`, `package lodash 4.17.20 →
 * 4.17.21`).
 */

type Parts = Readonly<Record<string, string>>;

/** At most this many lines; the rest are counted. */
const MAX_LINES = 12;

/**
 * Lines naming each part that changed, appeared or went away. Empty when both are equal or
 * when the materialization recorded no parts (an older log, or an explicit code version).
 */
export function describeCodeChanges(
  recorded: Parts | undefined,
  current: Parts | undefined,
): string[] {
  if (recorded === undefined || current === undefined) return [];
  const keys = [...new Set([...Object.keys(recorded), ...Object.keys(current)])].sort();
  const lines: string[] = [];
  for (const key of keys) {
    const before = own(recorded, key);
    const after = own(current, key);
    if (before === after) continue;
    if (before === undefined) lines.push(`now uses ${describePart(key, after!)}`);
    else if (after === undefined) lines.push(`no longer uses ${describePart(key, before)}`);
    else if (key.startsWith('package ')) lines.push(`${key} ${before} → ${after}`);
    else lines.push(`code changed: ${describePart(key, after)}`);
  }
  if (lines.length <= MAX_LINES) return lines;
  return [...lines.slice(0, MAX_LINES - 1), `and ${lines.length - MAX_LINES + 1} more changes`];
}

/** `function normalizePhone in src/phone.ts`, `materialize`, `package lodash 4.17.21`. */
export function describePart(key: string, value: string): string {
  if (key.startsWith('package ')) return `${key} ${value}`;
  if (key === 'materialize') return 'materialize';
  if (key === 'checks') return 'the checks listed beside materialize';
  if (key === 'materialize expression') return 'the expression given as materialize';
  if (key.startsWith('check ')) return `${key} (its evaluate)`;
  const colon = key.lastIndexOf(':');
  const kind = value.split(' ')[0];
  if (colon <= 0) return `${key} (the whole module)`;
  const file = key.slice(0, colon);
  const name = key.slice(colon + 1);
  if (kind === 'statement') return `top-level ${name.slice(1, -1)} in ${file}`;
  if (kind === 'default') return `the default export of ${file}`;
  if (kind === 'function' || kind === 'class') return `${kind} ${name} in ${file}`;
  return `${name} in ${file}`;
}

function own(parts: Parts, key: string): string | undefined {
  return Object.hasOwn(parts, key) ? parts[key] : undefined;
}
