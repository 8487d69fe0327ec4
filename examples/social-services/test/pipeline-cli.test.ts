/**
 * The Connect211 pipeline through the CLI, on the agencies' real exports: every agency mapped
 * to valid HSDS, merged and indexed, then nothing to do; a drifted export holds back only its
 * own agency while another agency's new export flows through incrementally (and a reproduction
 * from scratch gives the same directory and index); an export half its usual size is held
 * for review and accepted; `weir why` traces a search result to its agency's export.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SearchIndex } from '@weir/hsds';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Directory } from '../src/directory-types.js';
import { noSocialData, project, socialDataTitle } from './_project.js';

interface StatusRow {
  key: string;
  status: string;
}

const ran = (output: string) => [...output.matchAll(/✓ (\S+)/g)].map((m) => m[1]!).sort();

function metadataOf(dir: string, key: string): Record<string, unknown> {
  const why = project.weir(dir, 'why', key, '--json');
  const body = JSON.parse(why.stdout) as { current?: { materialization?: { metadata?: object } } };
  return (body.current?.materialization?.metadata ?? {}) as Record<string, unknown>;
}

function directoryOf(dir: string): Directory {
  return JSON.parse(project.weir(dir, 'value', 'directory').stdout) as Directory;
}

describe.skipIf(noSocialData)(socialDataTitle('the Connect211 pipeline'), () => {
  let dir: string;
  beforeAll(() => {
    dir = project.copy();
    const first = project.weir(dir, 'materialize');
    expect(first.code, first.stderr + first.stdout).toBe(0);
  }, 300_000);

  it('maps every agency, merges and indexes them with every check passing, then has nothing to do', () => {
    const rows = JSON.parse(project.weir(dir, 'status', '--json').stdout) as StatusRow[];
    expect(rows.filter((r) => r.status !== 'fresh')).toEqual([]);
    const checks = project.weir(dir, 'check');
    expect(checks.code, checks.stdout + checks.stderr).toBe(0);
    const again = project.weir(dir, 'materialize');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to do');
    const directory = directoryOf(dir);
    expect(Object.keys(directory.agencies).sort()).toEqual([
      'dc-211',
      'linksf',
      'sf-211',
      'sf-apd',
      'sf-dcyf',
      'wa-211',
    ]);
    expect(directory.services.length).toBeGreaterThan(5000);
  });

  it('holds back only a drifted agency; another agency flows through incrementally', () => {
    const sf = join(dir, 'inbox', 'sf-211.csv');
    const original = readFileSync(sf, 'latin1');
    writeFileSync(sf, original.replace('PublicName', 'Public Name'), 'latin1');
    const linksf = join(dir, 'inbox', 'linksf.json');
    const before = readFileSync(linksf, 'utf8');
    writeFileSync(
      linksf,
      before.replace('"La Casa de las Madres"', '"La Casa de las Madres (Mission)"'),
    );

    const run = project.weir(dir, 'materialize');
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/hsds\[sf-211\].*export_schema.*'PublicName'/s);
    expect(ran(run.stdout + run.stderr), run.stdout + run.stderr).toEqual([
      'directory',
      'hsds[linksf]',
      'search_index',
    ]);

    const directory = directoryOf(dir);
    expect(
      directory.services.some(
        (s) => s.service.organization?.name === 'La Casa de las Madres (Mission)',
      ),
    ).toBe(true);
    // sf-211 is still there, as its last good export had it.
    expect(directory.agencies['sf-211']?.exportVersion).not.toBe(
      createHash('sha256').update(readFileSync(sf)).digest('hex'),
    );
    expect(directory.services.filter((s) => s.source.agency === 'sf-211').length).toBeGreaterThan(
      2000,
    );
    expect(metadataOf(dir, 'directory')).toMatchObject({ incremental: true, agenciesRedone: 1 });
    const index = metadataOf(dir, 'search_index');
    expect(index.incremental).toBe(true);
    expect(index.rewritten as number).toBeLessThan((index.services as number) / 4);

    const status = JSON.parse(project.weir(dir, 'status', '--json').stdout) as StatusRow[];
    expect(status.find((r) => r.key === 'directory')?.status).toBe('stale');
    const why = project.weir(dir, 'why', 'directory');
    expect(why.stdout).toContain('upstream hsds has 1 failed partition it reads: sf-211');
    const whyAgency = project.weir(dir, 'why', 'hsds', '--partition', 'sf-211');
    expect(whyAgency.stdout).toMatch(
      /blocking check export_schema failed: sf-211\.csv lacks 'PublicName'.*\(also failed: volume\)/,
    );

    // Asked for alone, the directory is not called up to date: it waits on its upstream.
    const alone = project.weir(dir, 'materialize', 'directory');
    expect(alone.stdout).toBe('Nothing to do: 1 waits on its upstream (see the note above).\n');
    expect(alone.stderr).toMatch(
      /note: directory not rerun: its upstream hsds \(failed\) is not selected/,
    );

    // Built from scratch, the incremental directory and index come out the same.
    const verify = project.weir(dir, 'verify', 'directory', 'search_index', '--reproduce');
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/reproduced/);

    writeFileSync(sf, original, 'latin1');
    const fixed = project.weir(dir, 'materialize');
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
  }, 240_000);

  it('holds an export half its usual size for review, and takes it once accepted', () => {
    const dc = join(dir, 'inbox', 'dc-211.csv');
    const lines = readFileSync(dc, 'utf8').split('\n');
    writeFileSync(dc, `${lines.slice(0, 600).join('\n')}\n`);
    const held = project.weir(dir, 'materialize');
    expect(held.code).toBe(1);
    expect(held.stdout + held.stderr).toMatch(
      /held for review: \d+ services is \d+% below the median/,
    );
    const accept = project.node(dir, 'bin/review.mjs', 'accept', 'dc-211', '--by', 'tester');
    expect(accept.code, accept.stderr).toBe(0);
    const check = project.weir(dir, 'check', 'hsds', '--partition', 'dc-211');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/accepted after review \(by tester/);
    const after = project.weir(dir, 'materialize');
    expect(after.code, after.stdout + after.stderr).toBe(0);
    expect(directoryOf(dir).agencies['dc-211']?.services).toBeLessThan(700);
  }, 240_000);

  it('traces a search result to its agency export, that export’s version and the mapping code', () => {
    const path = project.weir(dir, 'value', 'search_index').stdout.trim();
    const index = SearchIndex.open(join(path, 'index.sqlite'), { readonly: true });
    const [result] = index.search({ text: 'shelter', limit: 1 }).results;
    index.close();
    expect(result).toBeDefined();
    const agency = result!.source.agency;
    const why = project.weir(dir, 'why', 'hsds', '--partition', agency, '--lineage');
    expect(why.code, why.stderr).toBe(0);
    const file = readFileSync(
      join(dir, 'inbox', `${agency}.${{ linksf: 'json', 'sf-apd': 'txt' }[agency] ?? 'csv'}`),
    );
    const version = createHash('sha256').update(file).digest('hex');
    expect(why.stdout).toContain(`agency_feed[${agency}]`);
    expect(why.stdout).toContain(version.slice(0, 12));
    expect(why.stdout).toMatch(/code version\s+[0-9a-f]{8,}/);
  });

  it('maps a new agency alone: its entry is data, so the other agencies are not mapped again', () => {
    const registry = join(dir, 'src', 'agencies.ts');
    writeFileSync(
      registry,
      readFileSync(registry, 'utf8').replace(
        "  'wa-211': {",
        "  'wa-211b': {\n    name: 'Washington 211, a second feed',\n    layout: 'openreferral-csv',\n    extension: 'csv',\n    delivers: { maxLag: '8d' },\n  },\n  'wa-211': {",
      ),
    );
    writeFileSync(
      join(dir, 'inbox', 'wa-211b.csv'),
      readFileSync(join(dir, 'inbox', 'wa-211.csv')),
    );
    expect(project.weir(dir, 'partitions', 'add', 'agencies', 'wa-211b').code).toBe(0);
    const run = project.weir(dir, 'materialize');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(ran(run.stdout + run.stderr)).toEqual(['directory', 'hsds[wa-211b]', 'search_index']);
    expect(metadataOf(dir, 'directory')).toMatchObject({ agenciesRedone: 1, agencies: 7 });
  }, 240_000);
});
