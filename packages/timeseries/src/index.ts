/**
 * @module @weir/timeseries
 * Hydrological time-series polishing: a columnar data model with QARTOD flags, causes and
 * a validity channel; readers for SaQC and CAMELS files; timestamp normalisation and
 * alignment; quality tests; SaQC's reference functions; gap handling; a typed
 * configuration and report; Arrow conversion. Parquet lives at `@weir/timeseries/parquet`.
 */
export * from './arrow.js';
export * from './config.js';
export * from './errors.js';
export * from './fill/fill.js';
export * from './flags.js';
export * from './io/camels.js';
export * from './io/maintenance.js';
export * from './io/timestamp.js';
export * from './io/wide-csv.js';
export * from './polish.js';
export * from './qc/climatology.js';
export * from './qc/flat-line.js';
export * from './qc/gaps.js';
export * from './qc/manual.js';
export * from './qc/outcome.js';
export * from './qc/range.js';
export * from './qc/rate-of-change.js';
export * from './qc/redundancy.js';
export * from './qc/spike.js';
export * from './qc/zscore.js';
export * from './report.js';
export * from './saqc/chunks.js';
export * from './saqc/drift.js';
export * from './saqc/knn.js';
export * from './saqc/reference-pipeline.js';
export * from './saqc/stray.js';
export * from './saqc/transfer.js';
export * from './saqc/zscore-blocks.js';
export * from './series.js';
export * from './time/align.js';
export * from './time/civil.js';
export * from './time/duration.js';
export * from './time/normalise.js';
export * from './time/zone.js';
