/**
 * @module cli/_import-meta
 * Rewrites `import.meta` in project files compiled into `.weir/cache`, so they still name their
 * original file.
 */
import { createHash } from 'node:crypto';
import { dirname, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const META = /^import\.meta\.(url|dirname|filename)\b/;

/**
 * Rewrites `import.meta.url`, `.dirname` and `.filename` in a project source file so that,
 * bundled into `.weir/cache`, they still name the original file. Each becomes a call to a
 * function declared (hoisted) at the end of the file, so no line moves and stack traces
 * keep pointing at the right lines. The function names come from the file's path relative
 * to the project, so moving the project does not change an asset's code version. Strings,
 * template text and comments are left alone.
 */
export function rewriteImportMeta(source: string, file: string, projectRoot: string): string {
  const id = createHash('sha256').update(relative(projectRoot, file)).digest('hex').slice(0, 10);
  const used = new Set<string>();
  let out = '';
  let i = 0;
  const templateDepth: number[] = []; // brace depth at which each open template's `${` began
  let braces = 0;
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? source.length : end;
      out += source.slice(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      out += source.slice(i, stop);
      i = stop;
    } else if (c === "'" || c === '"') {
      const stop = endOfString(source, i, c);
      out += source.slice(i, stop);
      i = stop;
    } else if (c === '`' || (c === '}' && templateDepth.at(-1) === braces)) {
      // Template text, from a backtick or the end of a `${…}`, up to the next `${` or backtick.
      if (c === '}') templateDepth.pop();
      let j = i + 1;
      while (
        j < source.length &&
        source[j] !== '`' &&
        !(source[j] === '$' && source[j + 1] === '{')
      ) {
        j += source[j] === '\\' ? 2 : 1;
      }
      if (source[j] === '$') {
        templateDepth.push(braces);
        j += 2;
      } else {
        j += 1;
      }
      out += source.slice(i, j);
      i = j;
    } else {
      const match =
        c === 'i' && !/[\w$.]/.test(source[i - 1] ?? '')
          ? META.exec(source.slice(i, i + 24))
          : null;
      if (match !== null) {
        used.add(match[1]!);
        out += `__weir_meta_${match[1]}_${id}()`;
        i += match[0].length;
      } else {
        if (c === '{') braces++;
        if (c === '}') braces--;
        out += c;
        i++;
      }
    }
  }
  const values: Record<string, string> = {
    url: pathToFileURL(file).href,
    dirname: dirname(file),
    filename: file,
  };
  for (const name of used) {
    out += `\nfunction __weir_meta_${name}_${id}() { return ${JSON.stringify(values[name])}; }`;
  }
  return out;
}

function endOfString(source: string, start: number, quote: string): number {
  let j = start + 1;
  while (j < source.length && source[j] !== quote && source[j] !== '\n')
    j += source[j] === '\\' ? 2 : 1;
  return j + 1;
}
