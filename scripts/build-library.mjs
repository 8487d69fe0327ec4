// How the workspace's packages build: JavaScript bundled by esbuild into dist/ (ESM, Node 20,
// dependencies left as imports), declarations into dist/types from tsc (tsconfig.build.json),
// so a user's compiler reads .d.ts files, never our sources.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

/** Builds the package at `root` from `entryPoints` (name → source), chunks shared between them. */
export async function buildLibrary(root, entryPoints) {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints,
    outdir: 'dist',
    bundle: true,
    splitting: Object.keys(entryPoints).length > 1,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
  });
  emitDeclarations(root);
}

/** dist/types from the package's tsconfig.build.json: tsc as a command (TypeScript 7's tsc is a
 * native compiler with no JavaScript API). */
export function emitDeclarations(root) {
  const typescript = dirname(createRequire(import.meta.url).resolve('typescript/package.json'));
  execFileSync(
    process.execPath,
    [join(typescript, 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')],
    { stdio: 'inherit' },
  );
}
