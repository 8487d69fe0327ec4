/**
 * @module cli/_instance-file
 * A deployment's `weir.instance.ts` beside the project file: found, compiled (esbuild, one
 * bundle of the file and its relative imports; packages imported by the absolute URL the
 * project's own resolution finds) and imported, for its default export (the instance
 * settings). Nothing is written: the bundle is imported from memory. A `.js`/`.mjs` file is
 * imported as it is.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';
import { EnvironmentError, WeirError } from '../errors.js';

export const INSTANCE_FILES = [
  'weir.instance.ts',
  'weir.instance.mts',
  'weir.instance.js',
  'weir.instance.mjs',
];

/** The instance file beside `projectFile`, if there is one. */
export function findInstanceFile(projectFile: string): string | undefined {
  const root = dirname(projectFile);
  const found = INSTANCE_FILES.map((name) => join(root, name)).filter((p) => existsSync(p));
  if (found.length > 1) {
    throw new EnvironmentError(
      'E_USAGE',
      `${found.map((p) => relative(root, p)).join(' and ')} both configure the instance`,
      { hint: 'keep one of them' },
    );
  }
  return found[0];
}

/** The default export of the instance file at `path` (unchecked). */
export async function loadInstanceFile(path: string): Promise<unknown> {
  // JavaScript needs no compiling: Node imports it, resolving its packages from its folder.
  const url = /\.m?js$/.test(path) ? pathToFileURL(path).href : await compiled(path);
  let module: { default?: unknown };
  try {
    module = (await import(url)) as { default?: unknown };
  } catch (error) {
    if (error instanceof WeirError) throw error;
    throw new EnvironmentError(
      'E_USAGE',
      `loading ${path} failed: ${(error as Error)?.message ?? String(error)}`,
      { cause: error },
    );
  }
  if (module.default === undefined) {
    throw new EnvironmentError('E_USAGE', `${path} has no default export`, {
      hint: "end it with `export default { database: process.env.DB_URL } satisfies InstanceSettings;` (import type { InstanceSettings } from 'weir')",
    });
  }
  return module.default;
}

/** The TypeScript file bundled (about 25 ms of esbuild), as a `data:` URL to import. */
async function compiled(path: string): Promise<string> {
  const { build } = await import('esbuild');
  let code: string;
  try {
    const result = await build({
      entryPoints: [path],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      conditions: [],
      logLevel: 'silent',
      plugins: [packagesByUrl],
    });
    code = result.outputFiles[0]!.text;
  } catch (error) {
    const first = (error as { errors?: Array<{ text: string; location?: { line: number } }> })
      .errors?.[0];
    throw new EnvironmentError(
      'E_USAGE',
      `cannot compile ${path}: ${first?.location ? `line ${first.location.line}: ` : ''}${first?.text ?? (error as Error).message}`,
      { cause: error },
    );
  }
  return `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`;
}

/**
 * Bare imports (packages) become imports of the absolute file URL the project's resolution
 * finds: a module imported from memory has no folder to resolve them from.
 */
const packagesByUrl: Plugin = {
  name: 'weir-instance-packages',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'resolving' || args.path.startsWith('node:')) return undefined;
      const found = await esbuild.resolve(args.path, {
        resolveDir: args.resolveDir,
        kind: args.kind,
        pluginData: 'resolving',
      });
      if (found.errors.length > 0 || found.external) return { path: args.path, external: true };
      return { path: pathToFileURL(found.path).href, external: true };
    });
  },
};
