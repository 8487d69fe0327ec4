/**
 * @module cli/package-json
 * The package.json of a project `weir init` makes: written whole in a new folder, or extended
 * (missing entries added, none changed) where `npm install` of Weir already created one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvironmentError } from '../errors.js';
import { WEIR_VERSION } from '../version.js';
import {
  SCAFFOLD_ALLOW_SCRIPTS,
  SCAFFOLD_DEV_DEPENDENCIES,
  SCAFFOLD_SCRIPTS,
} from './_scaffold.js';

type Json = Record<string, unknown>;

/** A new project's package.json. */
export function newPackageJson(dir: string): Json {
  return {
    name: packageName(basename(resolve(dir))),
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: { ...SCAFFOLD_SCRIPTS },
    dependencies: { weir: weirDependency(dir) },
    devDependencies: { ...SCAFFOLD_DEV_DEPENDENCIES },
    allowScripts: { ...SCAFFOLD_ALLOW_SCRIPTS },
  };
}

/**
 * `existing` with what the project needs added: `"type": "module"`, the weir dependency,
 * scripts, dev dependencies and install-script approvals it lacks. Returns the new object and
 * what was added; refuses a package that is not ES modules.
 */
export function extendPackageJson(existing: Json, dir: string): { json: Json; added: string[] } {
  if (existing.type !== undefined && existing.type !== 'module') {
    throw new EnvironmentError(
      'E_CONFLICT',
      `package.json says "type": ${JSON.stringify(existing.type)}; a Weir project is ES modules`,
      { hint: 'set "type": "module" in package.json, or run weir init in a new folder' },
    );
  }
  const json: Json = { ...existing };
  const added: string[] = [];
  if (json.type === undefined) {
    json.type = 'module';
    added.push('"type": "module"');
  }
  const has = (name: string) =>
    name in record(json.dependencies) || name in record(json.devDependencies);
  const add = (
    field: string,
    entries: Readonly<Record<string, unknown>>,
    skip: (k: string) => boolean,
  ) => {
    const current = record(json[field]);
    const missing = Object.keys(entries).filter((k) => !(k in current) && !skip(k));
    if (missing.length === 0) return;
    json[field] = { ...current, ...Object.fromEntries(missing.map((k) => [k, entries[k]])) };
    added.push(`${field} (${missing.join(', ')})`);
  };
  add('dependencies', { weir: weirDependency(dir) }, has);
  add('scripts', SCAFFOLD_SCRIPTS, () => false);
  add('devDependencies', SCAFFOLD_DEV_DEPENDENCIES, has);
  add('allowScripts', SCAFFOLD_ALLOW_SCRIPTS, () => false);
  return { json, added };
}

function record(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : {};
}

/** A valid npm package name made from a folder name. */
function packageName(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '');
  return name === '' ? 'weir-project' : name;
}

/**
 * How the new project in `dir` depends on this Weir: a `file:` path to a checkout it runs
 * from, the spec the project that installed it used (a tarball or folder path rebased to
 * `dir`), or the version range as published.
 */
export function weirDependency(dir: string): string {
  const root = packageRoot();
  if (root === undefined) return `^${WEIR_VERSION}`;
  const marker = `${sep}node_modules${sep}`;
  const at = root.lastIndexOf(marker);
  if (at < 0) return `file:${relative(resolve(dir), root) || '.'}`;
  const host = root.slice(0, at);
  const spec = installedSpec(host);
  if (spec === undefined) return `^${WEIR_VERSION}`;
  if (!spec.startsWith('file:')) return spec;
  const target = spec.slice('file:'.length);
  return `file:${isAbsolute(target) ? target : relative(resolve(dir), resolve(host, target))}`;
}

/** The folder of the `weir` package this code runs from. */
function packageRoot(): string | undefined {
  for (let d = dirname(fileURLToPath(import.meta.url)); dirname(d) !== d; d = dirname(d)) {
    const path = join(d, 'package.json');
    if (existsSync(path) && readJson(path)?.name === 'weir') return d;
  }
  return undefined;
}

function installedSpec(host: string): string | undefined {
  const json = readJson(join(host, 'package.json'));
  const spec = record(json?.dependencies).weir ?? record(json?.devDependencies).weir;
  return typeof spec === 'string' ? spec : undefined;
}

function readJson(path: string): Json | undefined {
  try {
    return record(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return undefined;
  }
}
