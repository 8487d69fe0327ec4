/**
 * @module execution/_differences
 * What differs between a recorded materialization and its reproduction, said briefly: the
 * versions, then the first differing fields of a JSON value, the first differing byte, or the
 * files of a directory that differ.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ArtefactStore, decodeValue } from '../artefacts/index.js';
import { sha256, shortVersion } from '../hash.js';
import type { Materialization } from '../storage/index.js';

const MAX = 5;

/** Lines saying how `reproduced` differs from `recorded` (whose bytes are in `recordedIn`). */
export async function differences(
  recorded: Materialization,
  reproduced: Materialization,
  recordedIn: ArtefactStore,
  reproducedIn: ArtefactStore,
): Promise<string[]> {
  const lines: string[] = [];
  if (recorded.dataVersion !== reproduced.dataVersion) {
    lines.push(
      `data version ${shortVersion(recorded.dataVersion)} → ${shortVersion(reproduced.dataVersion)}`,
    );
  }
  const [a, b] = [recorded.artefact, reproduced.artefact];
  if (a.contentHash === b.contentHash) return lines;
  if (a.size !== b.size) lines.push(`size ${a.size} → ${b.size} bytes`);
  try {
    lines.push(...(await contentDifferences(recorded, reproduced, recordedIn, reproducedIn)));
  } catch {
    lines.push('the recorded artefact cannot be read to compare contents');
  }
  return lines;
}

async function contentDifferences(
  recorded: Materialization,
  reproduced: Materialization,
  recordedIn: ArtefactStore,
  reproducedIn: ArtefactStore,
): Promise<string[]> {
  const { format, location, type } = recorded.artefact;
  const other = reproduced.artefact.location;
  if (format === 'files') {
    const [a, b] = [await recordedIn.localPath(location), await reproducedIn.localPath(other)];
    return type === 'directory' ? treeDifferences(a, b) : ['the file differs'];
  }
  const [x, y] = [await recordedIn.read(location), await reproducedIn.read(other)];
  if (format === 'bytes') return [`first difference at byte ${firstDifference(x, y)}`];
  return valueDifferences(decodeValue('json', x), decodeValue('json', y), '').slice(0, MAX);
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

/** Paths where two JSON values differ, depth first, at most MAX. */
function valueDifferences(a: unknown, b: unknown, path: string): string[] {
  if (Object.is(a, b)) return [];
  const bothObjects = typeof a === 'object' && a !== null && typeof b === 'object' && b !== null;
  if (!bothObjects || Array.isArray(a) !== Array.isArray(b)) {
    return [`${path === '' ? 'the value' : path}: ${brief(a)} → ${brief(b)}`];
  }
  const out: string[] = [];
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const key of keys) {
    const child = Array.isArray(a) ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
    out.push(
      ...valueDifferences(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        child,
      ),
    );
    if (out.length >= MAX) break;
  }
  return out;
}

function brief(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/** Files added, removed or changed between two directory trees. */
function treeDifferences(a: string, b: string): string[] {
  const [x, y] = [manifest(a), manifest(b)];
  const out: string[] = [];
  for (const [path, hash] of x) {
    if (!y.has(path)) out.push(`${path}: only in the recorded artefact`);
    else if (y.get(path) !== hash) out.push(`${path}: differs`);
  }
  for (const path of y.keys()) if (!x.has(path)) out.push(`${path}: only in the reproduction`);
  return out.slice(0, MAX);
}

function manifest(
  root: string,
  prefix = '',
  into = new Map<string, string>(),
): Map<string, string> {
  for (const name of readdirSync(join(root, prefix)).sort()) {
    const relative = prefix === '' ? name : `${prefix}/${name}`;
    if (lstatSync(join(root, relative)).isDirectory()) manifest(root, relative, into);
    else into.set(relative, sha256(readFileSync(join(root, relative))));
  }
  return into;
}
