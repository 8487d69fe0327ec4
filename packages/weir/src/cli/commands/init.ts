/**
 * @module cli/commands/init
 * `weir init [DIR]`: scaffolds a project that runs (package.json, tsconfig.json,
 * weir.config.ts with a source and two assets, a test, .gitignore). It never overwrites a
 * file: any of them already there and nothing is written. An existing package.json (the one
 * `npm install` of Weir made) is extended, never changed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { EnvironmentError } from '../../errors.js';
import { extendPackageJson, newPackageJson } from '../_package-json.js';
import { SCAFFOLD_FILES } from '../_scaffold.js';
import type { Command, CommandContext } from '../command.js';
import { json } from '../format.js';

const USAGE = 'weir init [DIR]';

export const initCommand: Command = {
  name: 'init',
  summary: 'Create a project that runs: weir.config.ts with example assets, a test, package.json',
  usage: USAGE,
  help: `Writes, in DIR (default: this folder): weir.config.ts (a source file and two assets, one
with a blocking check), src/rainfall.ts, data/rainfall.csv, test/rainfall.test.ts (vitest),
tsconfig.json, .gitignore (.weir/ and node_modules/) and package.json. It never overwrites a
file: if any of them exists, nothing is written (exit 1). A package.json already there, as
\`npm install\` of Weir leaves it, is extended: missing scripts, dependencies and allowScripts
entries are added and nothing in it is changed.
`,
  options: {},
  async run(ctx) {
    if (ctx.positionals.length > 1) {
      throw new EnvironmentError('E_USAGE', 'weir init takes one folder', {
        hint: `usage: ${USAGE}`,
      });
    }
    const dir = resolve(ctx.cwd, ctx.positionals[0] ?? '.');
    const taken = Object.keys(SCAFFOLD_FILES).filter((path) => existsSync(join(dir, path)));
    if (taken.length > 0) throw refusal(dir, taken, ctx.cwd);
    const pkg = packageJson(dir);
    for (const [path, text] of Object.entries(SCAFFOLD_FILES)) write(join(dir, path), text);
    write(
      join(dir, 'package.json'),
      `${JSON.stringify(pkg.json, null, 2)}\n`,
      pkg.added !== undefined,
    );
    report(ctx, dir, pkg.added);
    return 0;
  },
};

/** The package.json to write, and (for an existing one) what was added to it. */
function packageJson(dir: string): { json: Record<string, unknown>; added?: string[] } {
  const path = join(dir, 'package.json');
  if (!existsSync(path)) return { json: newPackageJson(dir) };
  let existing: unknown;
  try {
    existing = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new EnvironmentError('E_CONFLICT', `${path} is not valid JSON: nothing was written`, {
      cause: error,
    });
  }
  if (typeof existing !== 'object' || existing === null || Array.isArray(existing)) {
    throw new EnvironmentError('E_CONFLICT', `${path} is not a JSON object: nothing was written`);
  }
  return extendPackageJson(existing as Record<string, unknown>, dir);
}

/** Writes a new file (failing if one appeared meanwhile), or replaces the one being extended. */
function write(path: string, text: string, replace = false): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text, { flag: replace ? 'w' : 'wx' });
}

function refusal(dir: string, taken: string[], cwd: string): EnvironmentError {
  const where = relative(cwd, dir) || '.';
  return new EnvironmentError(
    'E_CONFLICT',
    `weir init would overwrite ${taken.join(', ')} in ${where}: nothing was written`,
    { hint: 'run it in a new folder: weir init my-project' },
  );
}

function report(ctx: CommandContext, dir: string, added: string[] | undefined): void {
  const files = [...Object.keys(SCAFFOLD_FILES), ...(added === undefined ? ['package.json'] : [])];
  if (ctx.values.json) {
    ctx.output.out(json({ dir, created: files, packageJsonAdded: added ?? null }));
    return;
  }
  const where = relative(ctx.cwd, dir);
  const lines = [
    `Created a Weir project in ${where === '' ? 'this folder' : where}:`,
    ...files.map((file) => `  ${file}`),
    ...(added === undefined
      ? []
      : [`Added to package.json: ${added.length === 0 ? 'nothing needed' : added.join('; ')}`]),
    '',
    'Next:',
    ...(where === '' ? [] : [`  cd ${where}`]),
    '  npm install            # vitest, typescript, @types/node (and weir, if not there yet)',
    '  npx weir materialize   # makes every asset exist',
    '  npx weir status        # fresh; edit data/rainfall.csv and ask again',
    '  npm test               # the example test (vitest)',
    '',
  ];
  ctx.output.out(lines.join('\n'));
}
