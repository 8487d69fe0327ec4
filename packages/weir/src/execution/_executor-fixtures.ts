/**
 * @module execution/_executor-fixtures
 * The project the executor conformance suite runs, as the text of a `weir.config.ts`: the
 * executor under test may load it in other processes. Every asset appends a line to an
 * effects file each time its code runs, so tests count what ran where no process shares
 * memory; every asset has an explicit code version, so the suite's process (which imports
 * the file) and the executor's processes (which load it as the `weir` command does) agree.
 */

/** The days of `once/daily` and `once/range` (as of the suite's clock). */
export const FIXTURE_DAYS = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04'];
export const FIXTURE_REGIONS = ['north', 'south', 'east', 'west'];
/** The suite's clock: every day above has ended. */
export const FIXTURE_NOW = Date.parse('2024-06-01T00:00:00Z');
export const CHATTY_LINES = 40;

/** The project's source; `effects` is the file every step appends to, `tick` one `state/tick` reads. */
export function fixtureProject(effects: string, tick: string): string {
  return `import { appendFileSync, readFileSync } from 'node:fs';
import { asset, check, dailyPartitions, defineProject, many, resource, staticPartitions } from 'weir';

const EFFECTS = ${JSON.stringify(effects)};
const TICK = ${JSON.stringify(tick)};
const effect = (line) => appendFileSync(EFFECTS, line + '\\n');
const days = dailyPartitions({ start: ${JSON.stringify(FIXTURE_DAYS[0])}, end: '2024-01-05' });
const regions = staticPartitions(${JSON.stringify(FIXTURE_REGIONS)});
const sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); reject(new Error('aborted')); }, { once: true });
  });

// Exactly once, inputs, partitions and ranges.
const root = asset({ key: 'once/root', codeVersion: '1', materialize: (ctx) => {
  effect('once/root ' + ctx.runId);
  return 10;
} });
const regional = asset({ key: 'once/regional', codeVersion: '1', partitions: regions, ins: { root },
  materialize: (ctx, { root }) => {
    effect('once/regional[' + ctx.partition.key + '] ' + ctx.runId);
    return root + ctx.partition.key.length;
  } });
const total = asset({ key: 'once/total', codeVersion: '1', ins: { regional: many(regional) },
  materialize: (ctx, { regional }) => {
    effect('once/total ' + ctx.runId);
    return [...regional.values()].reduce((a, b) => a + b, 0);
  } });
const daily = asset({ key: 'once/daily', codeVersion: '1', partitions: days, materialize: (ctx) => {
  effect('once/daily[' + ctx.partition.key + '] ' + ctx.runId);
  return { day: ctx.partition.key, start: ctx.partition.start.toISOString() };
} });
const range = asset({ key: 'once/range', codeVersion: '1', partitions: days, backfillPolicy: 'single-run',
  ins: { daily }, materialize: (ctx, { daily }) => {
    effect('once/range[' + ctx.partitions.keys.join(',') + '] ' + ctx.runId);
    return Object.fromEntries([...daily].map(([day, value]) => [day, value.start + ' of ' + ctx.partitions.keys.length]));
  } });

// Failures stay where they happen.
const boom = asset({ key: 'fail/boom', codeVersion: '1', materialize: () => {
  effect('fail/boom');
  throw new Error('boom from fail/boom');
} });
const afterBoom = asset({ key: 'fail/after', codeVersion: '1', ins: { boom }, materialize: () => 1 });
const other = asset({ key: 'fail/other', codeVersion: '1', materialize: () => {
  effect('fail/other');
  return 2;
} });

// Retries.
const flaky = asset({ key: 'retry/flaky', codeVersion: '1', retry: { maxAttempts: 3, initialDelayMs: 1 },
  materialize: (ctx) => {
    effect('retry/flaky ' + ctx.attempt);
    if (ctx.attempt === 1) throw new Error('flaky the first time');
    return ctx.attempt;
  } });
const hopeless = asset({ key: 'retry/hopeless', codeVersion: '1', retry: { maxAttempts: 2, initialDelayMs: 1 },
  materialize: (ctx) => {
    effect('retry/hopeless ' + ctx.attempt);
    throw new Error('hopeless at attempt ' + ctx.attempt);
  } });

// Checks.
const positive = () => check({ name: 'positive', evaluate: (_ctx, value) => value > 0 });
const good = asset({ key: 'checks/good', codeVersion: '1', checks: [positive()], materialize: () => 5 });
const bad = asset({ key: 'checks/bad', codeVersion: '1', checks: [positive()], materialize: () => -5 });
const afterBad = asset({ key: 'checks/after', codeVersion: '1', ins: { bad }, materialize: (_ctx, { bad }) => bad });

// Cancellation.
const waiting = asset({ key: 'cancel/wait', codeVersion: '1', materialize: async (ctx) => {
  effect('cancel/wait started');
  ctx.log.info('waiting');
  await sleep(30000, ctx.signal);
  effect('cancel/wait done');
  return 1;
} });
const afterWait = asset({ key: 'cancel/after', codeVersion: '1', ins: { waiting }, materialize: () => {
  effect('cancel/after');
  return 1;
} });

// Logs.
const chatty = asset({ key: 'logs/chatty', codeVersion: '1', materialize: (ctx) => {
  for (let i = 0; i < ${CHATTY_LINES}; i++) ctx.log.info('line ' + i, { i });
  ctx.log.warn('last');
  return 1;
} });

// Previous materializations and resources.
const settings = resource({ key: 'settings', config: { step: 3 },
  create: (config) => { effect('resource created'); return config; },
  dispose: () => effect('resource disposed') });
const tick = asset({ key: 'state/tick', codeVersion: '1', materialize: () => readFileSync(TICK, 'utf8') });
const counter = asset({ key: 'state/counter', codeVersion: '1', ins: { tick }, resources: { settings },
  materialize: async (ctx) => {
    const previous = await ctx.previous();
    return (previous?.value ?? 0) + ctx.resources.settings.step;
  } });

export default defineProject({
  concurrency: 4,
  resources: [settings],
  assets: [root, regional, total, daily, range, boom, afterBoom, other, flaky, hopeless, good, bad,
    afterBad, waiting, afterWait, chatty, tick, counter],
});
`;
}
