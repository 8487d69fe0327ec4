/** Messages and stacks that name the files people wrote, not their compiled copies. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importerMapped } from '../src/source-stacks.js';
import { tempDir } from './helpers.js';

describe('importerMapped', () => {
  it('names the source file of a compiled importer, in a folder with spaces too', () => {
    const root = join(tempDir(), 'my project');
    const cache = join(root, '.weir', 'cache', 'p1');
    mkdirSync(join(cache, 'src'), { recursive: true });
    const compiled = join(cache, 'src', 'steps.mjs');
    writeFileSync(compiled, 'export {};\n');
    writeFileSync(
      `${compiled}.map`,
      JSON.stringify({ version: 3, sources: ['../../../../src/steps.ts'], mappings: '' }),
    );
    const message = `Cannot find package 'left-pad-nope' imported from ${compiled}`;
    expect(importerMapped(message)).toBe(
      `Cannot find package 'left-pad-nope' imported from ${join(root, 'src', 'steps.ts')}`,
    );
    // No source map beside it: the message as it was.
    const bare = `Cannot find package 'x' imported from ${join(root, 'other.mjs')}`;
    expect(importerMapped(bare)).toBe(bare);
  });
});
