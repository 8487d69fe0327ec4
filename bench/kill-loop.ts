/**
 * kill-loop: the long version of test/kill-loop.test.ts. `weir materialize --force` is killed
 * with SIGKILL at random moments, N times; after each kill the consistency checker verifies
 * every materialization's artefact (exists, hashes to its recorded version) and that the
 * indexes equal a rebuild from the events. Prints the counts; exits 1 on any inconsistency.
 *
 * Run: npm run bench -- kill-loop [--kills N]   (needs packages/weir/dist: npm run build)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KILL_PROJECT } from '../packages/weir/test/kill-loop.test.js';
import { checkConsistency } from '../packages/weir/test/support/consistency.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'packages', 'weir', 'bin', 'weir.js');
const DIR = join(ROOT, '.bench-tmp', 'kill-loop');
const args = process.argv.slice(2);
const KILLS = Number(args[args.indexOf('--kills') + 1] ?? 0) || 50;

function weir(...argv: string[]) {
  return spawn(process.execPath, [BIN, ...argv], { cwd: DIR, stdio: 'ignore' });
}

async function main() {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  writeFileSync(join(DIR, 'weir.config.ts'), KILL_PROJECT);
  await new Promise((done) => weir('materialize').once('exit', done));
  let inconsistent = 0;
  let materializations = 0;
  const started = performance.now();
  for (let kill = 1; kill <= KILLS; kill++) {
    rmSync(join(DIR, 'running'), { force: true });
    const child = weir('materialize', '--force');
    const exited = new Promise((done) => child.once('exit', done));
    while (!existsSync(join(DIR, 'running'))) await new Promise((done) => setTimeout(done, 10));
    await new Promise((done) => setTimeout(done, Math.random() * 400));
    child.kill('SIGKILL');
    await exited;
    const report = await checkConsistency(join(DIR, '.weir'));
    materializations = report.materializations;
    if (report.problems.length > 0) {
      inconsistent++;
      process.stdout.write(`kill ${kill}: ${report.problems.join('; ')}\n`);
    }
  }
  await new Promise((done) => weir('materialize').once('exit', done));
  const last = await checkConsistency(join(DIR, '.weir'));
  process.stdout.write(
    `kill-loop: ${KILLS} kills in ${((performance.now() - started) / 1000).toFixed(1)} s, ${materializations} materializations checked after the last, ${inconsistent} inconsistent; after a final run: ${last.problems.length} problems\n`,
  );
  rmSync(DIR, { recursive: true, force: true });
  process.exit(inconsistent + last.problems.length > 0 ? 1 : 0);
}

await main();
