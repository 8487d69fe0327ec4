/**
 * The CAMELS pipeline through the CLI, with a one-epoch budget (HYDRO_EPOCHS=1) to stay fast:
 * it materializes; training is reproducible (the same model, byte for byte, when forced
 * again); `why --lineage` on a forecast names the raw basin partitions, the polishing code
 * version and the training run; changing the budget restales the models and `why` says so.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleCopy, weirWith as weir } from './_project.js';

const CAMELS = 'camels/*';
const ONE_EPOCH = { HYDRO_EPOCHS: '1' };

interface Node {
  key: string;
  partition?: string;
  kind: string;
  runId?: string;
  codeVersion?: string;
  inputs?: Node[];
}

function flatten(node: Node): Node[] {
  return [node, ...(node.inputs ?? []).flatMap(flatten)];
}

describe('the CAMELS pipeline', () => {
  let dir: string;
  beforeAll(() => {
    dir = exampleCopy();
    const run = weir(dir, ONE_EPOCH, 'materialize', CAMELS);
    expect(run.code, run.stderr + run.stdout).toBe(0);
  }, 240_000);

  it('forecasts every test day of every basin, and scores them', () => {
    const scores = JSON.parse(weir(dir, {}, 'value', 'camels/evaluation').stdout) as Array<{
      variant: string;
      basin: string;
      days: number;
    }>;
    const variants = new Set(scores.map((s) => s.variant));
    expect([...variants].sort()).toEqual(
      ['autoregressive', 'faulted_polished', 'faulted_raw', 'persistence', 'polished'].sort(),
    );
    expect(scores.filter((s) => s.variant === 'polished').map((s) => s.days)).toEqual([
      275, 275, 275, 275,
    ]);
  });

  it('trains reproducibly: forced again, the same model bytes (data version)', () => {
    const version = () =>
      JSON.parse(
        weir(dir, ONE_EPOCH, 'value', 'camels/lstm_model', '--partition', 'polished', '--json')
          .stdout,
      ).dataVersion as string;
    const first = version();
    const again = weir(
      dir,
      ONE_EPOCH,
      'materialize',
      'camels/lstm_model',
      '--partition',
      'polished',
      '--force',
    );
    expect(again.code, again.stderr).toBe(0);
    expect(version()).toBe(first);
  }, 120_000);

  it('why --lineage on a forecast names the raw partitions, the polish code and the training run', () => {
    const why = weir(
      dir,
      ONE_EPOCH,
      'why',
      'camels/forecasts',
      '--partition',
      'polished',
      '--lineage',
      '--json',
    );
    expect(why.code, why.stderr).toBe(0);
    const nodes = flatten((JSON.parse(why.stdout) as { lineage: Node }).lineage);
    const model = nodes.find((n) => n.key === 'camels/lstm_model')!;
    expect(model.runId).toMatch(/\S+/);
    const polish = nodes.filter((n) => n.key === 'camels/polished_basin');
    expect(polish.map((n) => n.partition).sort()).toEqual([
      '01022500',
      '01547700',
      '02064000',
      '03015500',
    ]);
    expect(new Set(polish.map((n) => n.codeVersion)).size).toBe(1);
    const raw = nodes.filter((n) => n.key === 'camels/basin_files');
    expect(raw.map((n) => n.kind)).toEqual([
      'observation',
      'observation',
      'observation',
      'observation',
    ]);
    // The polished model never read the synthetic copies.
    expect(nodes.some((n) => n.key.startsWith('camels/faulted'))).toBe(false);
  });

  it('a different epoch budget restales the models, and why names it', () => {
    const why = weir(
      dir,
      { HYDRO_EPOCHS: '2' },
      'why',
      'camels/lstm_model',
      '--partition',
      'polished',
    );
    expect(why.stdout).toContain('camels/training_budget');
    const status = weir(dir, ONE_EPOCH, 'status', 'camels/lstm_model', '--json');
    expect(JSON.parse(status.stdout)[0].status).toBe('fresh');
  });
});
