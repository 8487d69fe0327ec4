// The committed model is what the generator makes of the schemas: regenerating changes nothing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { hsdsSchemas, hsdsTables } from '../src/index.js';
import { noSocialData, socialData, socialDataTitle } from './_data.js';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const modelFolder = join(packageRoot, 'src/model');
const script = join(packageRoot, 'scripts/generate-model.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'hsds-model-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function generate(out: string, from?: string): void {
  const args = [script, '--out', out, ...(from === undefined ? [] : ['--from', from])];
  execFileSync(process.execPath, args, { stdio: 'pipe' });
}

function expectSameFile(generated: string, relative: string): void {
  const committed = readFileSync(join(modelFolder, relative), 'utf8');
  expect(readFileSync(join(generated, relative), 'utf8'), relative).toBe(committed);
}

describe('the generated model', () => {
  it('is what the generator makes of the embedded schemas', () => {
    const out = join(scratch, 'from-embedded');
    generate(out, join(modelFolder, 'schemas'));
    expectSameFile(out, 'generated.ts');
    expectSameFile(out, 'schemas/index.ts');
  });

  it('has one table per schema file, named as the schema names it', () => {
    const files = readdirSync(join(modelFolder, 'schemas')).filter((f) => f.endsWith('.json'));
    expect(files.map((file) => file.replace(/\.json$/, ''))).toEqual([...hsdsTables]);
    for (const table of hsdsTables) expect(hsdsSchemas[table].name).toBe(table);
  });

  it('keeps the required fields the data README lists', () => {
    expect(hsdsSchemas.service.required).toEqual(['id', 'name', 'status']);
    expect(hsdsSchemas.organization.required).toEqual(['id', 'name', 'description']);
    expect(hsdsSchemas.location.required).toEqual(['id', 'location_type']);
    expect(hsdsSchemas.address.required).toEqual([
      'id',
      'address_1',
      'city',
      'state_province',
      'postal_code',
      'country',
      'address_type',
    ]);
  });
});

describe.skipIf(noSocialData)(socialDataTitle('the embedded schemas'), () => {
  it('are the specification’s own, with its licence', () => {
    const out = join(scratch, 'from-shared-data');
    generate(out, socialData('hsds-3.0/schema'));
    for (const file of readdirSync(join(modelFolder, 'schemas'))) {
      expectSameFile(out, `schemas/${file}`);
    }
    expectSameFile(out, 'generated.ts');
    for (const table of hsdsTables) {
      const original = JSON.parse(
        readFileSync(socialData(`hsds-3.0/schema/${table}.json`), 'utf8'),
      );
      expect(hsdsSchemas[table]).toEqual(original);
    }
  });
});
