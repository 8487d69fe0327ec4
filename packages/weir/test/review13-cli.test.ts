/**
 * Regressions found reviewing issue 13 (one read path that records nothing), as the `weir`
 * command shows them.
 */
import { describe, expect, it } from 'vitest';
import { projectDir, weir, writeFile } from './cli-helpers.js';

const PROJECT = `
import { readFileSync } from 'node:fs';
import { asset, defineProject, sourceAsset } from 'weir';

const file = new URL('./feed.txt', import.meta.url).pathname;
const feed = sourceAsset({ key: 'raw/feed', observe: () => readFileSync(file, 'utf8').trim() });
const copy = asset({ key: 'copy', deps: [feed], materialize: () => readFileSync(file, 'utf8') });
export default defineProject({ assets: [feed, copy] });
`;

describe('weir why of a source', () => {
  it('says an observation made by the read is not recorded, instead of naming event 0', () => {
    const dir = projectDir({ 'weir.config.ts': PROJECT, 'feed.txt': 'v1\n' });
    expect(weir(dir, 'materialize').code).toBe(0);
    const recorded = weir(dir, 'why', 'raw/feed');
    expect(recorded.stdout).toMatch(/current observation \(event [1-9]\d*, /);

    writeFile(`${dir}/feed.txt`, 'v2\n');
    const why = weir(dir, 'why', 'raw/feed');
    expect(why.code).toBe(0);
    expect(why.stdout).not.toContain('event 0');
    expect(why.stdout).toContain('current observation (observed now, not recorded yet, ');
    expect(why.stdout).toContain('data version  v2');
  });
});
