/**
 * @module definitions/_file-glob
 * The small glob language of `folderSensor`: `*` and `?` within one path segment, `**` as a
 * whole segment for any number of folders; paths use `/` and are relative to the folder.
 */

/** Why `pattern` is not a glob `folderSensor` reads, or undefined. */
export function fileGlobProblem(pattern: unknown): string | undefined {
  if (typeof pattern !== 'string' || pattern.trim() === '')
    return 'pattern must be a non-empty string';
  if (pattern.startsWith('/') || pattern.split('/').includes('..')) {
    return `pattern '${pattern}' must be relative to the folder, without '..'`;
  }
  for (const segment of pattern.split('/')) {
    if (segment === '') return `pattern '${pattern}' has an empty segment`;
    if (segment !== '**' && segment.includes('**')) {
      return `pattern '${pattern}': '**' must be a whole segment, as in '**/*.json'`;
    }
  }
  if (/[[\]{}]/.test(pattern)) return `pattern '${pattern}': only '*', '?' and '**' are special`;
  return undefined;
}

/** Compiles a valid pattern to an anchored RegExp over `/`-separated relative paths. */
export function compileFileGlob(pattern: string): RegExp {
  let source = '';
  const segments = pattern.split('/');
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === '**') {
      source += last ? '.*' : '(?:[^/]+/)*';
      return;
    }
    source += segment
      .replace(/[.+^${}()|\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]');
    if (!last) source += '/';
  });
  return new RegExp(`^${source}$`);
}

/** Whether a pattern can match below the top folder (so listing must descend). */
export function globDescends(pattern: string): boolean {
  return pattern.includes('/');
}
