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
