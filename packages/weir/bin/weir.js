#!/usr/bin/env node
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node 22.1+ keeps V8's compiled code on disk, Weir's and the project's compiled files alike: a
// warm start skips most parsing (a project of 10,000 assets is ~2 MB of code, ~120 ms to compile).
// Node 20 has no such cache and goes on without it.
module.enableCompileCache?.();

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(
    'weir: the CLI is not built yet. Run `npm run build` (or `npm install`) first.\n',
  );
  process.exit(1);
}
await import(cli.href);
