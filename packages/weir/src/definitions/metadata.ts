/** A JSON value: what metadata, logs fields and the default `json` format can hold. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

export type Metadata = Readonly<Record<string, JsonValue>>;

/** Descriptive attributes shared by assets and source assets; used by selections and the UI. */
export interface AssetAttributes {
  description?: string;
  /** People or teams responsible, e.g. `team:hydro` or `ana@example.org`. */
  owners?: readonly string[];
  group?: string;
  /** What the artefact is, e.g. `table`, `raster`, `model`, `parquet`. */
  kinds?: readonly string[];
  tags?: Readonly<Record<string, string>>;
  metadata?: Metadata;
}

/**
 * Why `value` cannot be stored as JSON (a BigInt, a cycle), or undefined when it can. Metadata,
 * check results and log fields are checked where user code hands them over, so that a value
 * the event log cannot hold fails that source, step or check, not the whole run.
 */
export function jsonProblem(value: unknown): string | undefined {
  try {
    JSON.stringify(value);
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
}
