/**
 * @module source-stacks
 * Stack traces that name the files people wrote, mapped only when a stack is shown or
 * recorded. Node's own mapping (`--enable-source-maps`) reads and decodes the map of every
 * module as it loads, which costs a command that shows no stack tens of milliseconds; this
 * reads the map of a frame's file (`<file>.map` beside it, as the project compiler and the
 * package build write them) the first time a stack passes through it.
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const maps = new Map<string, SourceMap | null>();

function mapOf(file: string): SourceMap | null {
  let map = maps.get(file);
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = null;
    }
    maps.set(file, map);
  }
  return map;
}

/** `    at name (file:///a/b.mjs:12:5)`, `    at file:///a/b.mjs:12:5` or `    at async file:///…`. */
const FRAME = /^(\s*at (?:async )?(?:.*? \()?)((?:file:\/\/)?\/[^():]*):(\d+):(\d+)(\)?)$/;

const pathOf = (location: string) =>
  location.startsWith('file://') ? fileURLToPath(location) : location;

/** The file (a path), line and column of a stack frame line, if it names a file. */
export function frameLocation(
  line: string,
): { file: string; line: number; column: number } | undefined {
  const frame = FRAME.exec(line);
  if (frame === null) return undefined;
  return { file: pathOf(frame[2]!), line: Number(frame[3]), column: Number(frame[4]) };
}

/** The one source file a compiled file was made from (per its source map), if it has one. */
function sourceFileOf(file: string): string | undefined {
  const sources = (mapOf(file)?.payload as { sources?: unknown } | undefined)?.sources;
  if (!Array.isArray(sources) || sources.length !== 1 || typeof sources[0] !== 'string') {
    return undefined;
  }
  const source = sources[0];
  return source.startsWith('file://') ? fileURLToPath(source) : resolve(dirname(file), source);
}

/**
 * Node's "… imported from FILE" (a module or package not found) naming the source file that
 * imports it instead of its compiled copy (in `.weir/cache`).
 */
export function importerMapped(message: string): string {
  const found = / imported from ((?:file:\/\/)?\/.+)$/.exec(message);
  const source = found === null ? undefined : sourceFileOf(pathOf(found[1]!));
  return source === undefined
    ? message
    : `${message.slice(0, found!.index)} imported from ${source}`;
}

/** The package Node did not find (`Cannot find package 'X' imported from FILE`), and FILE. */
export function packageNotFound(error: unknown): { name: string; importer: string } | undefined {
  if ((error as NodeJS.ErrnoException | undefined)?.code !== 'ERR_MODULE_NOT_FOUND') return;
  const found = /^Cannot find package '([^']+)' imported from (.+)$/.exec((error as Error).message);
  return found === null ? undefined : { name: found[1]!, importer: found[2]! };
}

/** `stack` with each frame whose file has a source map pointing at the original source. */
export function sourceMapped(stack: string): string {
  if (process.sourceMapsEnabled) return stack;
  return stack
    .split('\n')
    .map((line) => {
      const frame = FRAME.exec(line);
      if (frame === null) return line;
      const [, head, location, row, column, tail] = frame as unknown as [string, ...string[]];
      const file = pathOf(location!);
      const map = mapOf(file);
      if (map === null) return line;
      const entry = map.findEntry(Number(row) - 1, Number(column) - 1);
      if (!('originalSource' in entry)) return line;
      const source = entry.originalSource.startsWith('file://')
        ? fileURLToPath(entry.originalSource)
        : resolve(dirname(file), entry.originalSource);
      return `${head}${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}${tail}`;
    })
    .join('\n');
}
