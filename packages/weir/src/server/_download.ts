/**
 * @module server/_download
 * Serving one artefact file with HTTP range requests (a GIS tool streams a raster through
 * GDAL's /vsicurl/, which reads the header and then the tiles it needs). Only paths the
 * artefact store gave for a recorded materialization are served; a file inside a folder
 * artefact is named relative to it and must resolve (symbolic links too) inside it.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { ApiError } from './_errors.js';

/** `file` inside the folder `root`, or a 400 when it would leave it. */
export async function fileInside(root: string, file: string): Promise<string> {
  const refuse = () =>
    new ApiError(
      400,
      'E_BAD_PATH',
      `'${file}' is not a file inside the artefact`,
      'name a file relative to the artefact folder, without ..',
    );
  if (file === '' || file.includes('\0') || isAbsolute(file)) throw refuse();
  const wanted = resolve(root, file);
  if (!isInside(root, wanted)) throw refuse();
  let real: string;
  try {
    real = await realpath(wanted);
  } catch {
    throw new ApiError(404, 'E_NOT_FOUND', `no file '${file}' in the artefact`);
  }
  if (!isInside(await realpath(root), real)) throw refuse();
  return real;
}

/** Whether `path` is strictly inside the folder `root` (both resolved). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/** A response for `path` honouring a single `Range: bytes=…` (HEAD: headers only). */
export async function fileResponse(
  path: string,
  options: { range: string | undefined; head: boolean; name: string; contentType: string },
): Promise<Response> {
  const info = await stat(path);
  if (!info.isFile()) throw new ApiError(404, 'E_NOT_FOUND', 'the artefact is not a file');
  const size = info.size;
  const headers: Record<string, string> = {
    'Accept-Ranges': 'bytes',
    'Content-Type': options.contentType,
    'Content-Disposition': `attachment; filename="${options.name.replace(/[^\w.-]/g, '_')}"`,
    'Last-Modified': info.mtime.toUTCString(),
    'X-Content-Type-Options': 'nosniff',
  };
  let start = 0;
  let end = size - 1;
  let status = 200;
  if (options.range !== undefined) {
    const range = parseRange(options.range, size);
    if (range === 'unsatisfiable') {
      return new Response(null, {
        status: 416,
        headers: { ...headers, 'Content-Range': `bytes */${size}` },
      });
    }
    if (range !== undefined) {
      [start, end] = range;
      status = 206;
      headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
    }
  }
  headers['Content-Length'] = String(size === 0 ? 0 : end - start + 1);
  if (options.head || size === 0) return new Response(null, { status, headers });
  const body = Readable.toWeb(createReadStream(path, { start, end })) as ReadableStream<Uint8Array>;
  return new Response(body, { status, headers });
}

/**
 * One range of `Range: bytes=a-b | a- | -n`, clamped to the file; undefined for a header this
 * does not serve as a range (several ranges, another unit: the whole file is sent, as RFC 9110
 * allows); 'unsatisfiable' for a range past the end.
 */
export function parseRange(
  header: string,
  size: number,
): [number, number] | 'unsatisfiable' | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (match === null) return undefined;
  if (size === 0) return 'unsatisfiable';
  const [, from, to] = match;
  if (from === '' && to === '') return undefined;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'unsatisfiable';
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(from);
  if (start >= size) return 'unsatisfiable';
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (end < start) return undefined;
  return [start, end];
}
