// Builds every workspace that has a build script, `weir` first: the other packages and the
// examples import its declarations (dist/types) when they build, and npm's own
// `--workspaces` order is the folders' alphabetical order, which puts packages/weir last.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const folders = workspaces.flatMap((pattern) => {
  const parent = pattern.replace(/\/\*$/, '');
  return readdirSync(join(root, parent))
    .map((name) => `${parent}/${name}`)
    .filter((folder) => existsSync(join(root, folder, 'package.json')));
});
const first = 'packages/weir';
for (const folder of [first, ...folders.filter((f) => f !== first)]) {
  const { scripts } = JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8'));
  if (scripts?.build === undefined) continue;
  console.log(`building ${folder}`);
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: join(root, folder), stdio: 'inherit' });
}
