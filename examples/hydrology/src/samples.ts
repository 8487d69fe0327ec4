/**
 * Sequence-to-one samples, the contract between the windowing (`src/data/`) and the model
 * (`src/lstm/`). Row-major, already normalised (statistics from the training period only).
 */
export interface Samples {
  /** Number of samples. */
  readonly count: number;
  /** Time steps per sample (270 days of forcings for CAMELS). */
  readonly steps: number;
  /** Features per step: dynamic inputs, then validity channels, then static attributes. */
  readonly features: number;
  /** `count × steps × features` inputs; never NaN (windows with invalid inputs are dropped). */
  readonly x: Float32Array;
  /** `count` normalised targets; NaN where the target is invalid (masked out of loss and metrics). */
  readonly y: Float32Array;
  /** `count` basin indices into {@link SampleSet.basins}. */
  readonly basin: Uint16Array;
  /** `count` target dates, epoch milliseconds (00:00 UTC of the target day). */
  readonly date: Float64Array;
}

/** The three date-split sets of one configuration, and what is needed to undo normalisation. */
export interface SampleSet {
  readonly basins: readonly string[];
  /** One name per feature, in `x`'s order (e.g. `prcp`, `prcp_valid`, `area`). */
  readonly featureNames: readonly string[];
  readonly train: Samples;
  readonly validation: Samples;
  readonly test: Samples;
  /** Target normalisation (training period): `q = yNormalised × std + mean`, in the target's unit. */
  readonly target: { readonly mean: number; readonly std: number; readonly unit: string };
  /** Per basin, the standard deviation of its normalised training targets (NSE* loss weights). */
  readonly basinStd: Float32Array;
}
