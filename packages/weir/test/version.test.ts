import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { WEIR_VERSION } from '../src/index.js';

it('records the version package.json declares', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  expect(WEIR_VERSION).toBe(pkg.version);
});
