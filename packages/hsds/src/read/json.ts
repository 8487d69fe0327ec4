// JSON files as records with provenance: the items of a top-level array (or the one top-level
// value), flattened to `path → text` with the line and column of every value.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { type DecodedText, decodeInput } from './decode.js';
import { type JsonNode, JsonSyntaxError, parseJson } from './json-parse.js';
import { LineIndex } from './lines.js';
import {
  emptyFields,
  type ReadIssue,
  SourceError,
  type SourcePosition,
  type SourceRecord,
} from './source.js';

/** A record of a JSON file: its flattened fields and its value as parsed. */
export interface JsonRecord extends SourceRecord {
  readonly value: unknown;
}

export interface JsonDocument {
  readonly file: string;
  readonly decoding: Omit<DecodedText, 'text'>;
  readonly value: unknown;
  /**
   * One per item of a top-level array, else one for the top-level value. Fields are the paths
   * of its scalars (`location.latitude`, `services[0].category`) with their text (a number as
   * written); nulls and empty objects and arrays have no field, but are in `value`.
   */
  readonly records: readonly JsonRecord[];
  /** Keys repeated in one object (the last one wins, as JSON.parse has it). */
  readonly issues: readonly ReadIssue[];
}

export interface JsonReadOptions {
  /** The name records and messages give the file (default: the path's file name, or `input`). */
  readonly file?: string;
}

export async function readJsonFile(
  path: string,
  options: JsonReadOptions = {},
): Promise<JsonDocument> {
  const bytes = await readFile(path);
  return readJson(bytes, { file: options.file ?? basename(path) });
}

/** Parses JSON; a syntax error is thrown as a SourceError with its line and column. */
export function readJson(input: Uint8Array | string, options: JsonReadOptions = {}): JsonDocument {
  const file = options.file ?? 'input';
  const { text, ...decoding } = decodeInput(input);
  const lines = new LineIndex(text);
  let root: JsonNode;
  try {
    root = parseJson(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const at = lines.position(error.offset);
    throw new SourceError(file, at.line, at.column, error.problem);
  }
  const issues: ReadIssue[] = [];
  const value = toValue(root, (offset, key) => {
    const at = lines.position(offset);
    const message = `key "${key}" repeated in one object; the last one is kept`;
    issues.push({ file, ...at, severity: 'warning', message });
  });
  const items = root.kind === 'array' ? root.items : [root];
  const values = Array.isArray(value) ? value : [value];
  const records = items.map((item, k): JsonRecord => {
    const fields = emptyFields<string>();
    const positions = emptyFields<SourcePosition>();
    flatten(item, '', (path, text, offset) => {
      fields[path] = text;
      positions[path] = lines.position(offset);
    });
    return { file, line: lines.position(item.offset).line, fields, positions, value: values[k] };
  });
  return { file, decoding, value, records, issues };
}

function toValue(node: JsonNode, repeated: (offset: number, key: string) => void): unknown {
  switch (node.kind) {
    case 'object': {
      const object = emptyFields<unknown>();
      for (const member of node.members) {
        if (Object.hasOwn(object, member.key)) repeated(member.keyOffset, member.key);
        object[member.key] = toValue(member.value, repeated);
      }
      return { ...object };
    }
    case 'array':
      return node.items.map((item) => toValue(item, repeated));
    case 'null':
      return null;
    default:
      return node.value;
  }
}

function flatten(
  node: JsonNode,
  path: string,
  emit: (path: string, text: string, offset: number) => void,
): void {
  switch (node.kind) {
    case 'object':
      for (const member of node.members) {
        flatten(member.value, path === '' ? member.key : `${path}.${member.key}`, emit);
      }
      return;
    case 'array':
      for (const [k, item] of node.items.entries()) flatten(item, `${path}[${k}]`, emit);
      return;
    case 'null':
      return;
    case 'string':
      emit(path, node.value, node.offset);
      return;
    case 'number':
      emit(path, node.raw, node.offset);
      return;
    case 'boolean':
      emit(path, String(node.value), node.offset);
  }
}
