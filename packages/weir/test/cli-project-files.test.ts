/**
 * Project files as users name and break them: file names that are not plain URLs, and a load
 * error with no frame in the user's files.
 */
import { describe, expect, it } from 'vitest';
import { projectDir, weir } from './cli-helpers.js';

describe('project files', () => {
  it('imports files whose names hold %, #, ? or spaces', () => {
    const dir = projectDir({
      'src/50%.ts': 'export const half = 50;\n',
      'src/a#b.ts': 'export const hash = "#";\n',
      'src/what?.ts': 'export const question = "?";\n',
      'src/with space é.ts': 'export const spaced = "é";\n',
      'weir.config.ts': `import { asset, defineProject } from 'weir';
import { half } from './src/50%';
import { hash } from './src/a#b';
import { question } from './src/what?';
import { spaced } from './src/with space é';
const parts = asset({ key: 'parts', materialize: () => [half, hash, question, spaced] });
export default defineProject({ assets: [parts] });
`,
    });
    const run = weir(dir, 'materialize');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(weir(dir, 'value', 'parts').stdout)).toEqual([50, '#', '?', 'é']);
  });

  it("names no place in Node's own files when the user's files have none", () => {
    const dir = projectDir({
      'src/a.ts': 'export const present = 1;\n',
      'weir.config.ts': `import { defineProject } from 'weir';
// @ts-expect-error: absent on purpose
import { absent } from './src/a';
export const loaded = absent;
export default defineProject({ assets: [] });
`,
    });
    const result = weir(dir, 'status');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/does not provide an export named 'absent'/);
    expect(result.stderr).not.toMatch(/\(at [^)]*modules\/esm/);
  });
});
