/**
 * @module polish
 * The polishing pipeline, per variable: the point tests judge each reading by itself, the
 * range test on the raw readings, then timestamps are normalised (merged duplicates carry
 * the worst flag), then the maintenance intervals and climatology judge the readings by
 * their time; alignment carries the worst flag and every cause of the readings that fed a
 * grid point, and the maintenance intervals flag the grid times inside them; gaps are
 * marked; the grid tests judge a point by its neighbours (spike, rate of change, flat line,
 * z-score). Then redundancy across groups, the validity channel and gap handling. Flags
 * only ever get worse; the report counts output points by cause at their final flag.
 */

import { causeTally, causeTallyArray, tallyCauses } from './_cause-tally.js';
import type { PolishConfig, TestsConfig, VariableConfig } from './config.js';
import { type FillSummary, fillGaps } from './fill/fill.js';
import { Cause, Flag, Validity } from './flags.js';
import { flagClimatology } from './qc/climatology.js';
import { flagFlatLine } from './qc/flat-line.js';
import { flagGaps, type GapSummary } from './qc/gaps.js';
import { flagManual, type IntervalMethod, type ManualInterval } from './qc/manual.js';
import type { TestOutcome } from './qc/outcome.js';
import { flagRange } from './qc/range.js';
import { flagRateOfChange } from './qc/rate-of-change.js';
import { flagRedundancy } from './qc/redundancy.js';
import { flagSpike } from './qc/spike.js';
import { flagZScore } from './qc/zscore.js';
import {
  type CauseTally,
  type FlagCounts,
  type PolishReport,
  TEST_CAUSES,
  type TestName,
  type ValidityCounts,
  type VariableReport,
} from './report.js';
import type { Frame, Series } from './series.js';
import { createSeries, seriesOf } from './series.js';
import { alignSeries } from './time/align.js';
import { durationMs } from './time/duration.js';
import {
  type NormaliseReport,
  normaliseSeries,
  scanTimeAxis,
  type TimeAxisScan,
} from './time/normalise.js';

/** The output of {@link polish}: polished series (one time axis) and the report. */
export interface PolishResult {
  series: Series[];
  report: PolishReport;
}

/** Inputs that a configuration names but that come from elsewhere (files, a database). */
export interface PolishInputs {
  /** Known-bad intervals, e.g. from `readMaintenanceLog`. */
  maintenance?: readonly ManualInterval[];
  /**
   * Polish the frame's value arrays in place instead of copying them (the time axis is
   * always shared, never modified). For a step that owns its frame: saves an allocation
   * of 8 bytes per point per variable.
   */
  inPlace?: boolean;
}

/**
 * Polishes the configured variables of a frame. The frame is never modified (unless
 * `inPlace`). A polished series shares the frame's time axis, and shares its value
 * column too when no step changed a value (no reordering, alignment or fill wrote one):
 * values are copied on the first write, not up front.
 *
 * @example
 * const { series, report } = polish(frame, parsePolishConfig(json), { maintenance });
 */
export function polish(
  frame: Frame,
  config: PolishConfig,
  inputs: PolishInputs = {},
): PolishResult {
  const axis = scanTimeAxis(frame.time);
  const out = new Map<string, Polishing>();
  for (const [name, vc] of Object.entries(config.variables)) {
    out.set(name, polishVariable(frame, axis, name, vc, config, inputs));
  }
  for (const group of config.redundancy ?? []) {
    const members = group.variables.map((v) => out.get(v)!);
    flagRedundancy(
      members.map((m) => m.series),
      {
        suspect: group.suspect,
        ...(group.fail === undefined ? {} : { fail: group.fail }),
        ...(group.minSensors === undefined ? {} : { minSensors: group.minSensors }),
      },
    );
    for (const m of members) if (!m.tests.includes('redundancy')) m.tests.push('redundancy');
  }
  const variables: Record<string, VariableReport> = {};
  const series: Series[] = [];
  for (const [name, p] of out) {
    const vc = config.variables[name]!;
    let s = p.series;
    // One pass: the validity channel from the final flags, and the counts.
    const { flags, validity, causes } = finishPoints(s, vc.acceptSuspect ?? false);
    let fill: FillSummary | undefined;
    if (vc.fill !== undefined) {
      if (!p.ownsValues && vc.fill.method !== 'none' && validity.invalid > 0) {
        // Copy on write: the fill is the first step that changes a value.
        const copy = new Float64Array(s.values.length);
        copy.set(s.values);
        s = { ...s, values: copy };
      }
      fill = fillGaps(s, vc.fill);
      validity.imputed += fill.filled;
      validity.invalid -= fill.filled;
    }
    variables[name] = {
      ...p.report,
      tests: testCounts(p.tests, causes),
      causes,
      flags,
      ...(fill === undefined ? {} : { fill }),
      validity,
    };
    series.push(s);
  }
  return { series, report: { variables } };
}

/** A variable being polished: its series, whether it owns its values, its report so far. */
interface Polishing {
  series: Series;
  /** False while `values` is still the frame's column (copy before writing). */
  ownsValues: boolean;
  /** The tests that ran, in order; counted once the flags are final. */
  tests: TestName[];
  report: Omit<VariableReport, 'tests' | 'causes' | 'flags' | 'validity' | 'fill'>;
}

/** The maintenance intervals that apply to a variable, and how their ends count. */
interface Maintenance {
  intervals: readonly ManualInterval[];
  method: IntervalMethod;
}

function polishVariable(
  frame: Frame,
  axis: TimeAxisScan,
  name: string,
  vc: VariableConfig,
  config: PolishConfig,
  inputs: PolishInputs,
): Polishing {
  const column = vc.column ?? name;
  const values = frame.columns.get(column);
  if (values === undefined) seriesOf(frame, column); // throws, naming the columns there are
  const srcFlags = frame.flags?.get(column);
  const srcCauses = frame.causes?.get(column);
  const t = vc.tests ?? {};
  // Points that the tests will evaluate start as pass; tests can only make them worse.
  const evaluated =
    Object.keys(t).some((k) => k !== 'manual') ||
    (config.redundancy ?? []).some((g) => g.variables.includes(name));
  const maintenance: Maintenance | undefined =
    inputs.maintenance === undefined || t.manual === false
      ? undefined
      : { intervals: inputs.maintenance, method: config.maintenance?.method ?? 'closed' };
  const policy = config.duplicates ?? 'last';
  let s: Series;
  let normalise: NormaliseReport;
  let align: VariableReport['align'];
  let gaps: GapSummary;
  if (config.align === undefined && axis.sorted && !axis.duplicates) {
    // The common case, fused: nothing to reorder or align, so one pass sets the initial
    // flags (missing, pass or the reader's), marks gaps and counts them; the value
    // column stays shared with the frame until something writes to it.
    if (axis.nonFinite >= 0) normaliseSeries(createSeries(name, frame.time, values!), policy); // throws
    const n = frame.time.length;
    if (values!.length !== n) createSeries(name, frame.time, values!); // throws
    const columns = allocatePointColumns(n);
    if (srcCauses !== undefined) columns.causes.set(srcCauses);
    s = {
      name,
      time: frame.time,
      values: values!,
      ...columns,
      ...(vc.unit === undefined ? {} : { unit: vc.unit }),
    };
    gaps = initialisePoints(s, srcFlags, evaluated ? Flag.PASS : Flag.NOT_EVALUATED, Infinity);
    normalise = { reordered: false, duplicates: 0, policy };
    runValueTests(s, t);
    runTimeTests(s, t, maintenance);
  } else {
    const raw = createSeries(name, frame.time, values!, {
      ...(srcFlags === undefined ? {} : { flags: srcFlags.slice() }),
      ...(srcCauses === undefined ? {} : { causes: srcCauses.slice() }),
      ...(vc.unit === undefined ? {} : { unit: vc.unit }),
    });
    if (evaluated) raiseNotEvaluated(raw.flags);
    // Judge each reading before anything combines readings (a mean of duplicates, an
    // interpolation onto the grid), which carries the worst flag to the combined value: a
    // value made from an impossible reading must not pass the range test by luck.
    runValueTests(raw, t);
    const normalised = normaliseSeries(raw, policy);
    s = normalised.series;
    normalise = normalised.report;
    runTimeTests(s, t, maintenance); // merging duplicates keeps their timestamp
    if (config.align !== undefined) {
      const aligned = alignSeries(s, {
        freq: config.align.freq,
        ...(config.align.method === undefined ? {} : { method: config.align.method }),
        ...(config.align.tolerance === undefined ? {} : { tolerance: config.align.tolerance }),
        span: { start: axis.start, end: axis.end },
      });
      s = aligned.series;
      align = aligned.report;
      // The interval covers the time itself: a grid point inside one is flagged even when
      // the readings that fed it lie outside (e.g. an interval shorter than the step).
      if (maintenance !== undefined)
        flagManual(s, maintenance.intervals, { method: maintenance.method });
    }
    gaps = flagGaps(
      s,
      config.align === undefined ? {} : { maxStep: durationMs(config.align.freq) },
    );
  }
  runGridTests(s, t);
  return {
    series: s,
    ownsValues: inputs.inPlace === true || s.values !== values,
    tests: testsThatRun(t, maintenance !== undefined),
    report: {
      points: s.time.length,
      normalise,
      ...(align === undefined ? {} : { align }),
      gaps,
    },
  };
}

/** The point test that judges a reading by its value alone; any order of readings. */
function runValueTests(s: Series, t: TestsConfig): void {
  if (t.range) flagRange(s, t.range);
}

/** The point tests that judge a reading by its time; the series must be in time order. */
function runTimeTests(s: Series, t: TestsConfig, maintenance: Maintenance | undefined): void {
  if (maintenance !== undefined)
    flagManual(s, maintenance.intervals, { method: maintenance.method });
  if (t.climatology) flagClimatology(s, t.climatology);
}

/** The tests that judge a point by its neighbours, so they need the final time axis. */
function runGridTests(s: Series, t: TestsConfig): void {
  if (t.spike) flagSpike(s, t.spike);
  if (t.rateOfChange) flagRateOfChange(s, t.rateOfChange);
  if (t.flatLine) flagFlatLine(s, t.flatLine);
  if (t.zScore) flagZScore(s, t.zScore);
}

/** The configured tests in the order they run (redundancy is added by its group). */
function testsThatRun(t: TestsConfig, manual: boolean): TestName[] {
  return (Object.keys(TEST_CAUSES) as TestName[]).filter((name) =>
    name === 'manual' ? manual : name === 'redundancy' ? false : t[name] !== undefined,
  );
}

/** The report's count of each test: the points carrying its cause, by final flag. */
function testCounts(
  tests: readonly TestName[],
  causes: CauseTally,
): Partial<Record<TestName, TestOutcome>> {
  const out: Partial<Record<TestName, TestOutcome>> = {};
  for (const test of tests) {
    const c = causes[TEST_CAUSES[test]];
    out[test] = { suspect: c?.suspect ?? 0, fail: c?.fail ?? 0 };
  }
  return out;
}

function raiseNotEvaluated(flags: Uint8Array): void {
  for (let i = 0; i < flags.length; i++) if (flags[i] === Flag.NOT_EVALUATED) flags[i] = Flag.PASS;
}

/**
 * Flags, causes and validity for `n` points, zeroed. Separate arrays: on glibc, columns
 * up to 32 MB come from the heap and are reused between calls without page faults,
 * while one combined buffer of 6 bytes per point would be a fresh mapping each time.
 */
function allocatePointColumns(n: number): {
  flags: Uint8Array;
  causes: Uint32Array;
  validity: Uint8Array;
} {
  return { flags: new Uint8Array(n), causes: new Uint32Array(n), validity: new Uint8Array(n) };
}

/**
 * The fused first pass of the common case: what `createSeries`, `flagGaps` and raising
 * not-evaluated to pass do, in one pass. `present` is the flag of a present value when
 * the reader gave none.
 */
function initialisePoints(
  s: Series,
  srcFlags: Uint8Array | undefined,
  present: number,
  maxStep: number,
): GapSummary {
  const { time, values, flags, causes } = s;
  const n = values.length;
  let missingPoints = 0;
  let gaps = 0;
  let longest = 0;
  let lastT = Number.NaN;
  let inGap = false;
  const raiseNotEvaluated = present === Flag.PASS;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(values[i]!)) {
      flags[i] = Flag.MISSING;
      const c = causes[i]!;
      if ((c & (Cause.MISSING_VALUE | Cause.GAP)) === 0) causes[i] = c | Cause.GAP;
      missingPoints++;
      if (!inGap) gaps++;
      inGap = true;
      continue;
    }
    if (srcFlags === undefined) flags[i] = present;
    else {
      const f = srcFlags[i]!;
      flags[i] = raiseNotEvaluated && f === Flag.NOT_EVALUATED ? Flag.PASS : f;
    }
    const t = time[i]!;
    const step = t - lastT;
    if (inGap || step > maxStep) {
      if (!inGap) gaps++;
      if (step > longest) longest = step;
    }
    inGap = false;
    lastT = t;
  }
  return { missingPoints, gaps, longestMs: longest };
}

/**
 * The last pass before gap handling: recomputes validity from the final flags (as
 * `refreshValidity` does) while counting flags, flagged points by cause (as
 * `countCauses` does) and validity codes.
 */
function finishPoints(
  s: Series,
  acceptSuspect: boolean,
): { flags: FlagCounts; validity: ValidityCounts; causes: CauseTally } {
  const worstAccepted = acceptSuspect ? Flag.SUSPECT : Flag.PASS;
  const { values, flags, causes, validity } = s;
  const n = values.length;
  // counts by flag value (0..9) and validity code
  const byFlag = new Float64Array(256);
  const tally = causeTallyArray();
  let observed = 0;
  let imputed = 0;
  for (let i = 0; i < n; i++) {
    const f = flags[i]!;
    byFlag[f] = byFlag[f]! + 1;
    if (f >= Flag.SUSPECT) tallyCauses(tally, causes[i]!, f);
    if (validity[i] === Validity.IMPUTED) {
      imputed++;
      continue;
    }
    const v = values[i]!;
    const ok = (f === Flag.NOT_EVALUATED || f <= worstAccepted) && !Number.isNaN(v);
    validity[i] = ok ? Validity.OBSERVED : Validity.INVALID;
    if (ok) observed++;
  }
  const pass = byFlag[Flag.PASS]!;
  const notEvaluated = byFlag[Flag.NOT_EVALUATED]!;
  const suspect = byFlag[Flag.SUSPECT]!;
  const fail = byFlag[Flag.FAIL]!;
  return {
    flags: { pass, notEvaluated, suspect, fail, missing: n - pass - notEvaluated - suspect - fail },
    validity: { observed, imputed, invalid: n - observed - imputed },
    causes: causeTally(tally),
  };
}
