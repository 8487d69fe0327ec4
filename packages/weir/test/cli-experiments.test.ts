/**
 * `weir experiments`: an asset's materializations side by side. A changed hyperparameter (a
 * named constant) restales the model, `why` names it, and the comparison shows the code part
 * that changed and the metadata that differs.
 */
import { describe, expect, it } from 'vitest';
import { projectDir, weir, weirJson, writeFile } from './cli-helpers.js';

const model = (hidden: number) => `import { asset } from 'weir';

export const HIDDEN = ${hidden};
const SEED = 7;

export const model = asset({
  key: 'model',
  materialize: (ctx) => {
    const curve = [1, 0.5, 0.25].map((l) => l * HIDDEN);
    ctx.addMetadata({ hyperparameters: { hidden: HIDDEN, seed: SEED }, loss: curve, nse: 1 / HIDDEN });
    return { weights: HIDDEN };
  },
});
`;

const FILES = {
  'weir.config.ts': `import { defineProject } from 'weir';
import { model } from './src/model';

export default defineProject({ assets: [model] });
`,
  'src/model.ts': model(64),
};

describe('weir experiments', () => {
  it('compares materializations: code part changed, metadata that differs, JSON', () => {
    const dir = projectDir(FILES);
    expect(weir(dir, 'materialize').code).toBe(0);
    writeFile(`${dir}/src/model.ts`, model(32));
    const why = weir(dir, 'why', 'model');
    expect(why.stdout).toContain('code changed: HIDDEN in src/model.ts');
    expect(weir(dir, 'materialize').code).toBe(0);

    const shown = weir(dir, 'experiments', 'model');
    expect(shown.code).toBe(0);
    const lines = shown.stdout.split('\n');
    const row = (label: string) => lines.find((l) => l.slice(2).startsWith(label)) ?? '';
    expect(row('code changed')).toContain('HIDDEN in src/model.ts');
    expect(row('hyperparameters.hidden')).toMatch(/^\* hyperparameters\.hidden\s+64\s+32/);
    expect(row('hyperparameters.seed')).toMatch(/^ {2}hyperparameters\.seed\s+7\s+7/);
    expect(row('loss')).toContain('[3] … 16');
    expect(row('nse')).toContain('0.01563');

    const changed = weir(dir, 'experiments', 'model', '--changed').stdout;
    expect(changed).not.toMatch(/when|run|took/); // not compared: they always differ
    expect(changed).toContain('hyperparameters.hidden');
    expect(changed).toContain('HIDDEN in src/model.ts');
    expect(changed).not.toContain('hyperparameters.seed');

    const runs = weirJson<Array<{ metadata: { hyperparameters: { hidden: number } } }>>(
      dir,
      'experiments',
      'model',
    );
    expect(runs.map((r) => r.metadata.hyperparameters.hidden)).toEqual([64, 32]);
  });

  it('says when there is nothing to compare, and refuses unknown assets and bad options', () => {
    const dir = projectDir(FILES);
    expect(weir(dir, 'experiments', 'model').stdout).toContain('model has no materializations yet');
    expect(weir(dir, 'experiments', 'model', 'other').stderr).toContain(
      "one asset key only, not also 'other'",
    );
    const unknown = weir(dir, 'experiments', 'modle');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("no asset 'modle'");
    expect(weir(dir, 'experiments', 'model', '--partition', 'x').stderr).toContain(
      'not partitioned',
    );
    expect(weir(dir, 'experiments', 'model', '-n', '0').code).not.toBe(0);
  });

  it('compares exact values, keeps colliding keys apart, escapes what it prints', () => {
    const meta = (
      lr: number,
      score: number,
      curve: number[],
      note: string,
    ) => `import { asset, check, sourceAsset } from 'weir';
export const src = sourceAsset({ key: 'src', observe: () => 'v1' });
export const exp = asset({
  key: 'exp',
  checks: [check({ name: 'gate', evaluate: () => ${lr} < 0.01 })],
  materialize: (ctx) => {
    ctx.addMetadata({ hp: { lr: ${lr} }, 'hp.lr': 5, score: ${score}, curve: ${JSON.stringify(curve)}, empty: {}, note: ${JSON.stringify(note)}, run: 'mine', rows: 123456, tag: '1' });
    return ${lr};
  },
});
`;
    const dir = projectDir({
      'weir.config.ts': `import { defineProject } from 'weir';
import { exp, src } from './src/exp';
export default defineProject({ assets: [src, exp] });
`,
      'src/exp.ts': meta(0.001, 0.712341, [1, 2, 3], 'ok'),
    });
    expect(weir(dir, 'materialize').code).toBe(0);
    writeFile(`${dir}/src/exp.ts`, meta(0.02, 0.712349, [9, 9, 3], 'evil\u001b[2J\u202eRTL'));
    expect(weir(dir, 'materialize').code).not.toBe(0); // the gate blocks it
    const out = weir(dir, 'experiments', 'exp', '--changed').stdout;
    const line = (label: string) =>
      out.split('\n').find((l) => l.slice(2).startsWith(`${label} `)) ?? '';
    expect(line('score')).toMatch(/^\* score\s+0\.7123\s+0\.7123/); // same when rounded, marked all the same
    expect(line('curve')).toMatch(/^\* curve/);
    expect(line('hp.lr')).toMatch(/^\* hp\.lr\s+0\.001\s+0\.02\s*$/);
    expect(out).not.toContain('["hp.lr"]'); // 5 both times: not a changed row
    expect(weir(dir, 'experiments', 'exp').stdout).toMatch(/\["hp\.lr"\]\s+5\s+5/);
    expect(line('blocked by')).toMatch(/^\* blocked by\s+gate/);
    expect(out).not.toContain('\u001b');
    expect(out).not.toContain('\u202e');
    expect(out).toContain('evil\\u001b[2J\\u202eRTL');
    expect(weir(dir, 'experiments', 'exp').stdout).toMatch(/empty\s+\{\}\s+\{\}/);
    const all = weir(dir, 'experiments', 'exp').stdout;
    expect(all).toMatch(/\["run"\]\s+mine\s+mine/);
    expect(all).toMatch(/rows\s+123456\s+123456/);
    expect(all).toMatch(/tag\s+"1"\s+"1"/);

    const runs = weirJson<Array<{ partition?: string; blockedBy?: string[] }>>(
      dir,
      'experiments',
      'exp',
    );
    expect(runs[0]).not.toHaveProperty('partition');
    expect(runs[1]!.blockedBy).toEqual(['gate']);

    const source = weir(dir, 'experiments', 'src');
    expect(source.code).not.toBe(0);
    expect(source.stderr).toContain("'src' is a source asset");
    expect(weir(dir, 'experiments', 'exp', '-n', '99999999999999999999').stderr).toContain(
      'from 1 to 1000000',
    );
  });

  it('names the inputs that changed, per partition, and prints no legend for one column', () => {
    const dir = projectDir({
      'weir.config.ts': `import { readFileSync } from 'node:fs';
import { asset, defineProject, fileVersion, sourceAsset, staticPartitions } from 'weir';
const sites = staticPartitions(['a', 'b']);
const raw = sourceAsset({ key: 'raw', observe: () => fileVersion('data.txt') });
const fit = asset({
  key: 'fit',
  partitions: sites,
  deps: [raw],
  materialize: (ctx) => { ctx.addMetadata({ rows: readFileSync('data.txt', 'utf8').length }); return 1; },
});
export default defineProject({ assets: [raw, fit] });
`,
      'data.txt': 'one',
    });
    expect(weir(dir, 'materialize', 'fit', '--partition', 'a').code).toBe(0);
    const single = weir(dir, 'experiments', 'fit', '--partition', 'a').stdout;
    expect(single).not.toContain('differs between');
    writeFile(`${dir}/data.txt`, 'one two');
    expect(weir(dir, 'materialize', 'fit', '--partition', 'a').code).toBe(0);
    const out = weir(dir, 'experiments', 'fit', '--partition', 'a', '--changed').stdout;
    expect(out).toMatch(/\* inputs changed\s+raw/);
    expect(out).toMatch(/\* rows\s+3\s+7/);
    // Mixed partitions: each column is compared with the one before of its own partition.
    expect(weir(dir, 'materialize', 'fit', '--partition', 'b').code).toBe(0);
    const mixed = weir(dir, 'experiments', 'fit').stdout.split('\n');
    const inputs = mixed.find((l) => l.includes('inputs changed'))!;
    expect(inputs.trim().split(/\s{2,}/)).toEqual(['* inputs changed', 'raw']);
  });
});
