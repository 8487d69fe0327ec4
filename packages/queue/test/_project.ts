/**
 * The tests' project, written to disk as plain JavaScript so worker processes import it as is:
 * `q/cpu` (untagged) and `q/gpu` (worker tag gpu, pool gpu of 1 slot) over `partitions` keys,
 * each step sleeping `sleepMs` and appending `<asset> <partition> <pid> <start> <end>` to the
 * effects file once done.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestProject {
  dir: string;
  file: string;
  effects: string;
  artefacts: string;
}

export function writeProject(
  dir: string,
  {
    partitions,
    sleepMs,
    automation,
  }: { partitions: number; sleepMs: number; automation?: boolean },
): TestProject {
  mkdirSync(dir, { recursive: true });
  const effects = join(dir, 'effects.log');
  const file = join(dir, 'project.mjs');
  const keys = Array.from({ length: partitions }, (_, i) => `p${String(i).padStart(4, '0')}`);
  writeFileSync(
    file,
    `import { appendFileSync } from 'node:fs';
import { asset, defineProject, onMissing, staticPartitions } from 'weir';

const EFFECTS = ${JSON.stringify(effects)};
const keys = staticPartitions(${JSON.stringify(keys)});
const work = async (name, ctx) => {
  if (process.env.QUEUE_TEST_FAIL === name + ' ' + ctx.partition.key) throw new Error('the gauge for ' + ctx.partition.key + ' is offline');
  if (process.env.QUEUE_TEST_HANG === name + ' ' + ctx.partition.key) await new Promise(() => {});
  const start = Date.now();
  await new Promise((resolve) => setTimeout(resolve, ${sleepMs}));
  appendFileSync(EFFECTS, [name, ctx.partition.key, process.pid, start, Date.now()].join(' ') + '\\n');
  return ctx.partition.key;
};
const automation = ${automation ? 'onMissing()' : 'undefined'};
const cpu = asset({ key: 'q/cpu', codeVersion: '1', partitions: keys, automation, materialize: (ctx) => work('q/cpu', ctx) });
const gpu = asset({ key: 'q/gpu', codeVersion: '1', partitions: keys, automation, tags: { resources: 'gpu' }, pool: 'gpu',
  materialize: (ctx) => work('q/gpu', ctx) });

export default defineProject({ concurrency: 8, pools: { gpu: 1 }, assets: [cpu, gpu] });
`,
  );
  return { dir, file, effects, artefacts: join(dir, 'artefacts') };
}

export interface Effect {
  asset: string;
  partition: string;
  pid: number;
  start: number;
  end: number;
}

export function parseEffects(text: string): Effect[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [asset, partition, pid, start, end] = line.split(' ');
      return {
        asset: asset!,
        partition: partition!,
        pid: Number(pid),
        start: Number(start),
        end: Number(end),
      };
    });
}
