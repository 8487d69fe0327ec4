/**
 * @module parquet
 * Parquet storage of polished series through parquet-wasm (Apache Arrow's Rust Parquet
 * writer compiled to WebAssembly, shipped inside its npm package, so it works offline).
 * A separate entry point (`@weir/timeseries/parquet`) so users who only need Arrow do not
 * load the WebAssembly module.
 */
import { type Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { readParquet, Table as WasmTable, writeParquet } from 'parquet-wasm';
import { seriesFromTable, seriesToTable } from './arrow.js';
import type { Series } from './series.js';

/**
 * Parquet bytes of series on one time axis (zstd-free default compression: snappy), with
 * `metadata` as key-value metadata of the Arrow schema.
 *
 * @example
 * writeFileSync('polished.parquet', seriesToParquet([level, waterTemp]));
 */
export function seriesToParquet(
  series: readonly Series[],
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const ipc = tableToIPC(seriesToTable(series, metadata), 'stream');
  return writeParquet(WasmTable.fromIPCStream(ipc));
}

/** Series from Parquet bytes written by {@link seriesToParquet}. */
export function seriesFromParquet(bytes: Uint8Array): Series[] {
  return seriesFromTable(parquetTable(bytes));
}

/** The schema metadata of Parquet bytes written by {@link seriesToParquet}. */
export function metadataFromParquet(bytes: Uint8Array): Map<string, string> {
  return parquetTable(bytes).schema.metadata;
}

function parquetTable(bytes: Uint8Array): Table {
  return tableFromIPC(readParquet(bytes).intoIPCStream());
}
