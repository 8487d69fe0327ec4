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
    const unknown = weir(dir, 'experiments', 'modle');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("no asset 'modle'");
    expect(weir(dir, 'experiments', 'model', '--partition', 'x').stderr).toContain(
      'not partitioned',
    );
    expect(weir(dir, 'experiments', 'model', '-n', '0').code).not.toBe(0);
  });
});
