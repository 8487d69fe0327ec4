/**
 * The backends are not on the npm registry: the hint for a missing one says how to pack it from
 * a checkout and install the tarball, and names the file `npm pack` writes for this version.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { backendInstallHint } from '../src/instance/index.js';

it.each(['postgres', 's3'] as const)(
  '@weir/%s: npm pack, then npm install the tarball it writes',
  (folder) => {
    const pkg = JSON.parse(
      readFileSync(new URL(`../../${folder}/package.json`, import.meta.url), 'utf8'),
    ) as { name: string; version: string };
    // npm pack names a scoped package's tarball without the @ and with - for the /.
    const tarball = `${pkg.name.slice(1).replace('/', '-')}-${pkg.version}.tgz`;
    const hint = backendInstallHint(pkg.name as '@weir/postgres' | '@weir/s3');
    expect(hint).toContain(`npm pack -w packages/${folder} --pack-destination DIR`);
    expect(hint).toContain(`npm install DIR/${tarball}`);
    expect(hint).not.toMatch(/npm install @weir/);
  },
);
