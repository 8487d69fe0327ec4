/**
 * @module storage/status-row
 * The status row of an unpartitioned asset (see `EventLog.statusRows`) as a function of its
 * AssetRecord, and the encoding of the input versions it carries, shared by every backend and
 * by the read path that compares them.
 */
import type { AssetRecord, StatusRow } from './event-log.js';

/**
 * Input keys and data versions as one string: `key\0version\0key\0version…` in the order
 * given ('' for none), or undefined when a key or a version contains `\0`, where the encoding
 * would be ambiguous. Two lists of pairs with defined encodings are equal exactly when their
 * encodings are.
 */
export function encodeInputVersions(
  keys: readonly string[],
  versionOf: (key: string) => string | undefined,
): string | undefined {
  let encoded = '';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const version = versionOf(key);
    if (version === undefined || key.includes('\0') || version.includes('\0')) return undefined;
    encoded = i === 0 ? `${key}\0${version}` : `${encoded}\0${key}\0${version}`;
  }
  return encoded;
}

/**
 * Whether `encoded` is `encodeInputVersions(keys, versionOf)`, compared in place: the read
 * path asks this of every asset, and building each encoding to compare it was most of the
 * garbage of a status at 10,000 assets' fast path.
 */
export function sameInputVersions(
  encoded: string,
  keys: readonly string[],
  versionOf: (key: string) => string | undefined,
): boolean {
  let at = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const version = versionOf(key);
    // No encoding (undefined) equals no string.
    if (version === undefined || key.includes('\0') || version.includes('\0')) return false;
    if (i > 0 && encoded.charCodeAt(at++) !== 0) return false;
    if (!encoded.startsWith(key, at)) return false;
    at += key.length;
    if (encoded.charCodeAt(at++) !== 0 || !encoded.startsWith(version, at)) return false;
    at += version.length;
  }
  return at === encoded.length;
}

/** The encoding of what a materialization read: its inputs in key order (JavaScript's sort). */
export function inputVersionsOf(
  inputs: Readonly<Record<string, { dataVersion: string }>>,
): string | undefined {
  return encodeInputVersions(Object.keys(inputs).sort(), (key) => inputs[key]?.dataVersion);
}

/** The status row of a record: the definition of every field of `StatusRow`. */
export function statusRowOf(record: AssetRecord): StatusRow {
  const newest = record.materialization;
  const m = newest?.materialization;
  const failingCheck =
    newest !== undefined &&
    Object.values(record.checks).some(
      (check) => check.materializationId === newest.id && !check.check.passed,
    );
  return {
    assetKey: record.assetKey,
    materializationId: newest?.id ?? 0,
    usableId: record.usable?.id ?? 0,
    observationId: record.observation?.id ?? 0,
    failureId: record.failure?.id ?? 0,
    dataVersion: m?.dataVersion,
    codeVersion: m?.codeVersion,
    inputVersions: m === undefined ? undefined : inputVersionsOf(m.inputs),
    location: m?.artefact.location,
    endedAt: m?.endedAt ?? 0,
    failingCheck,
  };
}
