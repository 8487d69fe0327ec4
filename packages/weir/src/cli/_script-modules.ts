/**
 * @module cli/_script-modules
 * Runs a compiled project as plain scripts with V8's code cache, on Node versions without a
 * compile cache for ES modules (before 22.1). Each start otherwise compiles every project
 * file again: 10,000 assets in 100 files took ~150 ms to import, ~35 ms from the cache.
 *
 * Each compiled file runs as one async function over its own text, with its `import` and
 * `export` statements blanked (see `_module-plan.ts`): every function keeps its text (code
 * versions are derived from it) and every stack position its line and column. Project files
 * are evaluated in the order ES modules would be, each once; packages are imported as ES
 * modules from the build folder, where the project's compiled files would import them from.
 * What the scripts cannot express exactly (a cycle between project files, `import()`, an
 * export assigned later, …) makes the whole project load as ES modules instead.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { sha256 } from '../hash.js';
import { loadCodeAnalyser } from '../versioning/index.js';
import { type ExportSource, LINK_PARAMETER, type ModulePlan, planModule } from './_module-plan.js';

const FORMAT = 1;
const MANIFEST = '__weir_scripts.json';
const IMPORTER = '__weir_import.mjs';

/** A file's plan, and the hash of its script (beside it as `<file>.script.js`). */
type Planned = ModulePlan & { script: string };

type Manifest =
  | { format: number; plans: Record<string, Planned> }
  | { format: number; unsupported: string };

/** Whether this Node needs the scripts: it has no compile cache of its own for ES modules. */
export function scriptsWanted(): boolean {
  const nodeCache = (module as { enableCompileCache?: unknown }).enableCompileCache;
  return typeof nodeCache !== 'function' && process.env.WEIR_PROJECT_MODULES !== 'esm';
}

/**
 * The namespace of `entry` (a compiled file in the build `folder`), run as scripts; undefined
 * when the project must be imported as ES modules (the reason is kept in the folder).
 */
export async function importAsScripts(
  entry: string,
  folder: string,
  outputs: readonly string[],
): Promise<object | undefined> {
  const manifest = readManifest(folder) ?? (await writeManifest(folder, outputs));
  if (!('plans' in manifest)) return undefined;
  const texts = new Map<string, string>();
  for (const label of Object.keys(manifest.plans)) {
    try {
      texts.set(label, readFileSync(scriptPath(folder, label), 'utf8'));
    } catch {
      return undefined; // The cache lost a file: nothing ran yet, so import as ES modules.
    }
  }
  return new ScriptLoader(folder, manifest.plans, texts).evaluate(entry);
}

/** Why `folder`'s build runs as ES modules, if it does (for tests and `weir doctor`). */
export function scriptsUnsupported(folder: string): string | undefined {
  const manifest = readManifest(folder);
  return manifest !== undefined && 'unsupported' in manifest ? manifest.unsupported : undefined;
}

function readManifest(folder: string): Manifest | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(folder, MANIFEST), 'utf8')) as Manifest;
    return manifest.format === FORMAT ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Plans the build once and keeps the plan beside it. A build this process may not write (a
 * read-only project someone else compiled) is imported as ES modules: planning it at every
 * start would cost more than the cache saves.
 */
async function writeManifest(folder: string, outputs: readonly string[]): Promise<Manifest> {
  const manifest = await planProject(folder, outputs);
  const scriptsWritten =
    !('plans' in manifest) ||
    (writeQuietly(join(folder, IMPORTER), IMPORT_PACKAGE) &&
      Object.entries(manifest.plans).every(([label, plan]) =>
        writeQuietly(
          scriptPath(folder, label),
          scriptText(readFileSync(join(folder, label), 'utf8'), plan),
        ),
      ));
  const written = scriptsWritten && writeQuietly(join(folder, MANIFEST), JSON.stringify(manifest));
  return written ? manifest : { format: FORMAT, unsupported: `${folder} is not writable` };
}

const scriptPath = (folder: string, label: string) => join(folder, `${label}.script.js`);

/** Imports a package as the compiled files would: resolved from the build folder. */
const IMPORT_PACKAGE = 'export default (specifier) => import(specifier);\n';

async function planProject(folder: string, outputs: readonly string[]): Promise<Manifest> {
  const { parse } = await loadCodeAnalyser();
  const plans: Record<string, Planned> = {};
  for (const output of outputs) {
    const label = relative(folder, output).split(sep).join('/');
    const code = readFileSync(output, 'utf8');
    let result: ReturnType<typeof planModule>;
    try {
      result = planModule(code, parse);
    } catch (error) {
      result = { unsupported: `it does not parse (${(error as Error).message})` };
    }
    if ('unsupported' in result)
      return { format: FORMAT, unsupported: `${label}: ${result.unsupported}` };
    plans[label] = { ...result.plan, script: sha256(scriptText(code, result.plan)).slice(0, 16) };
  }
  const problem = projectProblem(plans);
  return problem === undefined
    ? { format: FORMAT, plans }
    : { format: FORMAT, unsupported: problem };
}

const isRelative = (specifier: string) => specifier.startsWith('./') || specifier.startsWith('../');

/** The project file a relative specifier of `from` names (labels are paths in the folder). */
function target(from: string, specifier: string): string {
  return relative('.', join(dirname(from), specifier))
    .split(sep)
    .join('/');
}

/** A cycle between project files, or a relative import of something not compiled. */
function projectProblem(plans: Record<string, ModulePlan>): string | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (label: string): string | undefined => {
    if (state.get(label) === 'done') return undefined;
    if (state.get(label) === 'visiting') return `${label} is part of an import cycle`;
    state.set(label, 'visiting');
    for (const { specifier } of plans[label]!.requests) {
      if (!isRelative(specifier)) continue;
      const next = target(label, specifier);
      if (plans[next] === undefined) return `${label} imports ${specifier}, not a compiled file`;
      const problem = visit(next);
      if (problem !== undefined) return problem;
    }
    state.set(label, 'done');
    return undefined;
  };
  for (const label of Object.keys(plans)) {
    const problem = visit(label);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** A value an export stands for, and what it is (two names for one binding are no conflict). */
interface Binding {
  get: () => unknown;
  id: unknown;
}

type Bindings = Map<string, Binding>;

class ScriptLoader {
  private readonly bindings = new Map<string, Bindings>();
  private readonly namespaces = new Map<string, object>();
  private readonly packageBindings = new WeakMap<object, Bindings>();
  private importPackage?: (specifier: string) => Promise<object>;

  constructor(
    private readonly folder: string,
    private readonly plans: Record<string, Planned>,
    private readonly texts: ReadonlyMap<string, string>,
  ) {}

  async evaluate(file: string): Promise<object> {
    const label = relative(this.folder, file).split(sep).join('/');
    await this.run(label);
    return this.namespaces.get(label)!;
  }

  private async run(label: string): Promise<void> {
    if (this.bindings.has(label)) return;
    const plan = this.plans[label]!;
    const given: object[] = [];
    const exportsOf: Bindings[] = [];
    for (const request of plan.requests) {
      let namespace: object;
      let exported: Bindings;
      if (isRelative(request.specifier)) {
        const next = target(label, request.specifier);
        await this.run(next);
        namespace = this.namespaces.get(next)!;
        exported = this.bindings.get(next)!;
      } else {
        namespace = await this.package(request.specifier);
        exported = this.ofPackage(namespace);
      }
      for (const [, imported] of request.bindings) {
        if (imported !== '*' && !exported.has(imported)) {
          throw new SyntaxError(
            `The requested module '${request.specifier}' does not provide an export named '${imported}'`,
          );
        }
      }
      given.push(namespace);
      exportsOf.push(exported);
    }
    const locals = await this.script(label, plan)(given);
    const own = this.exportBindings(label, plan, locals, given, exportsOf);
    this.bindings.set(label, own);
    this.namespaces.set(label, namespaceOf(own));
  }

  private async package(specifier: string): Promise<object> {
    this.importPackage ??= (
      (await import(pathToFileURL(join(this.folder, IMPORTER)).href)) as {
        default: (specifier: string) => Promise<object>;
      }
    ).default;
    return this.importPackage(specifier);
  }

  private ofPackage(namespace: object): Bindings {
    let bindings = this.packageBindings.get(namespace);
    if (bindings === undefined) {
      bindings = new Map();
      for (const name of Object.keys(namespace)) {
        const get = () => (namespace as Record<string, unknown>)[name];
        bindings.set(name, { get, id: get });
      }
      this.packageBindings.set(namespace, bindings);
    }
    return bindings;
  }

  /** The file as a function of its requests' namespaces, from V8's cache when it has one. */
  private script(
    label: string,
    plan: Planned,
  ): (given: object[]) => Promise<Record<string, () => unknown>> {
    const file = join(this.folder, label);
    const text = this.texts.get(label)!;
    const cachePath = `${file}.${plan.script}.v8`;
    const cachedData = existsSync(cachePath) ? readFileSync(cachePath) : undefined;
    const script = new Script(text, {
      filename: pathToFileURL(file).href,
      lineOffset: -1,
      ...(cachedData === undefined ? {} : { cachedData }),
    });
    const fn = script.runInThisContext() as (
      given: object[],
    ) => Promise<Record<string, () => unknown>>;
    return async (given) => {
      const locals = await fn(given);
      // After the file ran, so the cache holds the functions its top level called too.
      if (cachedData === undefined || script.cachedDataRejected === true) {
        writeQuietly(cachePath, script.createCachedData());
      }
      return locals;
    };
  }

  private exportBindings(
    label: string,
    plan: ModulePlan,
    locals: Record<string, () => unknown>,
    given: object[],
    exportsOf: Bindings[],
  ): Bindings {
    const own: Bindings = new Map();
    for (const [name, source] of Object.entries(plan.exports)) {
      own.set(name, this.bindingOf(label, name, source, locals, given, exportsOf));
    }
    const fromStars = new Map<string, Binding | null>();
    for (const request of plan.stars) {
      for (const [name, binding] of exportsOf[request]!) {
        if (name === 'default' || own.has(name)) continue;
        const seen = fromStars.get(name);
        // The same name from two modules for two bindings: ES modules export neither.
        fromStars.set(name, seen === undefined || seen?.id === binding.id ? binding : null);
      }
    }
    for (const [name, binding] of fromStars) if (binding !== null) own.set(name, binding);
    return own;
  }

  private bindingOf(
    label: string,
    name: string,
    source: ExportSource,
    locals: Record<string, () => unknown>,
    given: object[],
    exportsOf: Bindings[],
  ): Binding {
    if ('local' in source) return { get: locals[name]!, id: `${label}#${source.local}` };
    if ('namespace' in source) {
      const namespace = given[source.request]!;
      return { get: () => namespace, id: namespace };
    }
    const binding = exportsOf[source.request]!.get(source.imported);
    if (binding === undefined) {
      const { specifier } = this.plans[label]!.requests[source.request]!;
      throw new SyntaxError(
        `The requested module '${specifier}' does not provide an export named '${source.imported}'`,
      );
    }
    return binding;
  }
}

/**
 * The file's text as an async function of its requests' namespaces: the imports become
 * constants on the first line (the file's first line is the script's second: `lineOffset`
 * -1 keeps every line number), the blanked statements spaces, and the function returns a
 * getter per local export.
 */
export function scriptText(code: string, plan: ModulePlan): string {
  let header = '';
  plan.requests.forEach((request, i) => {
    for (const [local, imported] of request.bindings) {
      const value =
        imported === '*'
          ? `${LINK_PARAMETER}[${i}]`
          : `${LINK_PARAMETER}[${i}][${JSON.stringify(imported)}]`;
      header += `const ${local} = ${value};`;
    }
  });
  let body = '';
  let at = 0;
  for (const [start, end] of plan.blank) {
    body += code.slice(at, start) + code.slice(start, end).replace(/[^\n]/g, ' ');
    at = end;
  }
  body += code.slice(at);
  const getters = Object.entries(plan.exports)
    .filter((entry): entry is [string, { local: string }] => 'local' in entry[1])
    .map(([name, { local }]) => `${JSON.stringify(name)}: () => ${local}`)
    .join(', ');
  return `(async function (${LINK_PARAMETER}) {"use strict";${header}\n${body}\n;return { ${getters} };\n})`;
}

/** An object like an ES module namespace: its exports in code unit order, read live. */
function namespaceOf(bindings: Bindings): object {
  const namespace = Object.create(null) as object;
  for (const name of [...bindings.keys()].sort()) {
    Object.defineProperty(namespace, name, { get: bindings.get(name)!.get, enumerable: true });
  }
  Object.defineProperty(namespace, Symbol.toStringTag, { value: 'Module' });
  return Object.preventExtensions(namespace);
}

/** Writes through a temporary file; false where this process may not write. */
function writeQuietly(path: string, contents: string | Uint8Array): boolean {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, contents);
    renameSync(temp, path);
    return true;
  } catch {
    rmSync(temp, { force: true });
    return false;
  }
}
