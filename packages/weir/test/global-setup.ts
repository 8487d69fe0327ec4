// CLI tests run the built `weir` command: build it from the current sources first, so a
// test never runs a stale dist/.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  execFileSync(
    process.execPath,
    [fileURLToPath(new URL('../scripts/build.mjs', import.meta.url))],
    { stdio: 'inherit' },
  );
}
