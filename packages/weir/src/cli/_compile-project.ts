/**
 * Compiles a project's own TypeScript/JavaScript files for Node, each file on its own (no
 * bundling across files, so no renaming of clashing top-level names: an asset's function
 * text, and so its code version, depends only on its own file). Relative imports of other
 * project files point at their compiled siblings; packages stay ordinary imports; JSON and
 * other non-code imports are inlined; variables esbuild renamed get their own names back.
 * Every build goes to a fresh folder renamed into place, so a concurrent reader sees a whole
 * build or none.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';
import { isAlive } from '../artefacts/index.js';
import { EnvironmentError } from '../errors.js';
import { sha256 } from '../hash.js';
import { loadCodeAnalyser } from '../versioning/index.js';
import { rewriteImportMeta } from './_import-meta.js';
import { restoreNames, type SourceMapJson } from './_restore-names.js';

export interface CompiledProject {
  /** The compiled entry file. */
  entry: string;
  /** Every input with its stat taken before it was read. */
  inputs: Array<{ path: string; mtimeMs: number; size: number }>;
  /** Each compiled project file: its source and where it was compiled to. */
  files: CompiledFile[];
}

export interface CompiledFile {
  source: string;
  output: string;
}

const CODE = /\.[cm]?[jt]sx?$/;

export interface CompileOptions {
  /**
   * Import packages by absolute URL, resolved from the project, instead of by name: for a
   * cache folder outside the project (a read-only project compiles into the temp folder),
   * from where Node would not find the project's node_modules.
   */
  resolvePackages?: boolean;
  /** Called once the first file is being compiled: this thread waits for esbuild then. */
  whileWaiting?: () => void;
}

export async function compileProject(
  path: string,
  cacheDir: string,
  keep: string | undefined,
  options: CompileOptions = {},
): Promise<CompiledProject> {
  const { build } = await import('esbuild');
  const root = dirname(path);
  const prefix = `p${sha256(path).slice(0, 12)}-`;
  const temp = join(cacheDir, `${prefix}tmp-${process.pid}-${Date.now()}`);
  const inputs: CompiledProject['inputs'] = [];
  const outputOf = (file: string) => {
    const rel = relative(root, file);
    const safe = rel.startsWith('..')
      ? join(
          '_outside',
          rel
            .split(sep)
            .map((p) => (p === '..' ? '_up' : p))
            .join(sep),
        )
      : rel;
    return safe.replace(CODE, '.mjs');
  };
  const pending = [path];
  const compiled = new Set<string>();
  const sources: string[] = [];
  try {
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (compiled.has(file)) continue;
      compiled.add(file);
      sources.push(file);
      const outfile = join(temp, outputOf(file));
      const building = build({
        entryPoints: [file],
        outfile,
        bundle: true,
        write: false,
        metafile: true,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        ...(options.resolvePackages ? { conditions: [] } : { packages: 'external' as const }),
        sourcemap: 'external',
        // Stacks need the mappings only; Node reads a file's text itself where it shows one.
        sourcesContent: false,
        logLevel: 'silent',
        plugins: [
          ...(options.resolvePackages ? [packagesByUrl] : []),
          {
            name: 'weir-project-files',
            setup(esbuild) {
              // Other project code files stay separate modules: import their compiled siblings.
              esbuild.onResolve({ filter: /^\.\.?(\/|$)/ }, async (args) => {
                if (args.importer === '' || args.pluginData === 'resolving') return undefined;
                const found = await esbuild.resolve(args.path, {
                  resolveDir: args.resolveDir,
                  kind: args.kind,
                  pluginData: 'resolving',
                });
                if (
                  found.errors.length > 0 ||
                  !CODE.test(found.path) ||
                  found.path.includes(`${sep}node_modules${sep}`)
                ) {
                  return undefined;
                }
                pending.push(found.path);
                // A relative specifier is a URL: a file named `50%.ts` or `a#b.ts` is imported
                // as `./50%25.mjs`, `./a%23b.mjs` (spaces and other letters resolve as they are).
                let specifier = relative(dirname(outputOf(args.importer)), outputOf(found.path))
                  .split(sep)
                  .join('/')
                  .replace(/[%#?]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
                if (!specifier.startsWith('.')) specifier = `./${specifier}`;
                return { path: specifier, external: true };
              });
              esbuild.onLoad({ filter: CODE }, async (args) => {
                if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
                const stat = statSync(args.path);
                inputs.push({ path: args.path, mtimeMs: stat.mtimeMs, size: stat.size });
                const source = await readFile(args.path, 'utf8');
                const ext = extname(args.path).slice(1);
                const loader =
                  ext === 'tsx' ? 'tsx' : ext === 'jsx' ? 'jsx' : ext.endsWith('ts') ? 'ts' : 'js';
                return { contents: rewriteImportMeta(source, args.path, root), loader };
              });
            },
          },
        ],
      });
      if (sources.length === 1) options.whileWaiting?.();
      const result = await building.catch((error: unknown) => {
        throw compileError(path, error);
      });
      mkdirSync(dirname(outfile), { recursive: true });
      const { code, map } = await withOwnNames(result.outputFiles!);
      if (map !== undefined) writeFileSync(`${outfile}.map`, map);
      writeFileSync(
        outfile,
        map === undefined ? code : `${code}//# sourceMappingURL=${basename(outfile)}.map\n`,
      );
      const cwd = process.cwd();
      for (const input of Object.keys(result.metafile.inputs).map((i) => resolve(cwd, i))) {
        if (CODE.test(input) || inputs.some((known) => known.path === input)) continue;
        const stat = statSync(input);
        inputs.push({ path: input, mtimeMs: stat.mtimeMs, size: stat.size });
      }
    }
    const buildHash = sha256(
      inputs
        .map((i) => `${i.path}:${i.mtimeMs}:${i.size}`)
        .sort()
        .join('\n'),
    ).slice(0, 12);
    const folder = join(cacheDir, `${prefix}${buildHash}`);
    // A folder of this name holds a whole build of the same inputs (builds are renamed into
    // place): another process made it first, and may be importing from it now.
    if (!existsSync(folder)) {
      try {
        renameSync(temp, folder);
      } catch (error) {
        if (!existsSync(folder)) throw error;
      }
    }
    removeOldBuilds(cacheDir, prefix, [folder, keep]);
    const files = sources.map((source) => ({ source, output: join(folder, outputOf(source)) }));
    return { entry: join(folder, outputOf(path)), inputs, files };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/**
 * The compiled file with the user's own variable names (see `_restore-names.ts`), and its
 * source map, so stacks name the user's files and lines. The map goes beside the file rather
 * than inline: Node reads the source maps of every module it loads while source maps are on,
 * and an inline one made each module twice as long to compile and to scan (10,000 assets in
 * 100 files: 36 ms more to load).
 */
async function withOwnNames(
  outputs: ReadonlyArray<{ path: string; text: string }>,
): Promise<{ code: string; map: string | undefined }> {
  const mapFile = outputs.find((o) => o.path.endsWith('.map'));
  let code = outputs.find((o) => o !== mapFile)!.text;
  if (mapFile === undefined) return { code, map: undefined };
  let map = JSON.parse(mapFile.text) as SourceMapJson;
  if ((map.names?.length ?? 0) > 0) {
    ({ code, map } = restoreNames(code, map, await loadCodeAnalyser()));
  }
  return { code, map: JSON.stringify(map) };
}

/**
 * Keeps the new build and the one before it (a process may still be importing from it), and
 * the builds in progress of live processes.
 */
function removeOldBuilds(
  cacheDir: string,
  prefix: string,
  keep: ReadonlyArray<string | undefined>,
): void {
  for (const name of readdirSync(cacheDir)) {
    const full = join(cacheDir, name);
    if (!name.startsWith(prefix)) continue;
    if (keep.some((k) => k !== undefined && (k === full || k.startsWith(full + sep)))) continue;
    const building = /-tmp-(\d+)-/.exec(name.slice(prefix.length - 1));
    if (building !== null && isAlive(Number(building[1]))) continue;
    rmSync(full, { recursive: true, force: true });
  }
}

/** Bare imports (packages) become external imports of the file Node's resolution would find. */
const packagesByUrl: Plugin = {
  name: 'weir-packages-by-url',
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

function compileError(path: string, error: unknown): EnvironmentError {
  const failure = error as {
    errors?: Array<{
      text: string;
      location?: { file: string; line: number; column: number; lineText: string };
    }>;
  };
  const first = failure.errors?.[0];
  const where = first?.location
    ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: `
    : '';
  return new EnvironmentError(
    'E_PROJECT_LOAD',
    `cannot compile ${path}: ${where}${first?.text ?? (error as Error).message}`,
    {
      cause: error,
      ...(first?.location ? { hint: `  ${first.location.lineText}` } : {}),
    },
  );
}
