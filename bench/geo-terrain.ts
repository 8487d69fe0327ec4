// Terrain derivatives against gdaldem: `npm run bench -- geo-terrain [--size N] [--repeats N]
// [--strip ROWS]`. Slope (degrees, Horn) and hillshade (standard, Horn) of packages/geo's
// src/terrain, on two rasters:
//
// - the SRTM tile N10W110.hgt of the shared data (1201 × 1201 Int16, EPSG:4326, nodata −32768),
//   converted once with gdal_translate to a raw ENVI band, with gdaldem's `-s 111120`;
// - a synthetic terrain of N × N Float32 cells (default 10,000 × 10,000 = 400 MB: ridges and
//   valleys from a few sine waves plus per-cell noise, about 20–1,180 m, 30 m cells, with square "lakes"
//   of nodata −9999 covering about 1%), written strip by strip as a raw band behind a VRT.
//
// Both sides do the same whole job as separate processes on the same input file: read the raw
// band, derive, write an uncompressed raw band (gdaldem `-of ENVI`; ours a raw file and its ENVI
// header). Ours is `node` running this bundle, which streams the file through `slopeStream` /
// `hillshadeStream` in strips of --strip rows (default 64), so its memory is bounded by the
// strips, not the raster. Each process is timed from outside (wall clock, start-up included) and
// its peak RSS is the child's maxrss as the kernel reports it (a python3 wrapper's
// RUSAGE_CHILDREN); runs alternate ours/GDAL, each after the previous output is deleted and
// `sync` has written back every dirty page (untimed); median of --repeats. `x GDAL` = our time /
// GDAL's. Both start-ups are measured on a 3 × 3 raster and printed. The outputs are then compared
// cell by cell (float32 equality for slope; hillshade bytes, with the largest difference).
// gdaldem 3.6 is single-threaded, and so is ours.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type GeoTransform,
  hillshadeStream,
  slopeStream,
  type TerrainLayout,
} from '../packages/geo/src/index.js';
import { median, option, table } from './_report.js';

const SRTM = fileURLToPath(
  new URL(
    `${(process.env.WEIR_SHARED_DATA ?? '../../shared/data').replace(/\/$/, '')}/geospatial/N10W110.hgt`,
    process.env.WEIR_SHARED_DATA ? 'file:///' : import.meta.url,
  ),
);
const NODATA = -9999;
const CELL = 30;

export type Product = 'slope' | 'hillshade';

/** A raw band on disk (row-major, little-endian) and what the derivatives need to know of it. */
export interface RawRaster {
  readonly name: string;
  /** The raw cells. */
  readonly path: string;
  /** What gdaldem opens: an ENVI header beside the raw file, or a VRT over it. */
  readonly gdalPath: string;
  readonly type: 'Int16' | 'Float32';
  readonly width: number;
  readonly height: number;
  readonly nodata: number;
  readonly transform: GeoTransform;
  /** gdaldem `-s`: 111120 for the geographic SRTM tile, 1 for the projected synthetic one. */
  readonly scale: number;
}

/** The SRTM tile as a raw ENVI band (gdal_translate), or undefined when the data is absent. */
export function srtmRaster(dir: string): RawRaster | undefined {
  if (!existsSync(SRTM)) return undefined;
  const path = join(dir, 'srtm.bil');
  execFileSync('gdal_translate', ['-q', '-of', 'ENVI', SRTM, path], { stdio: 'ignore' });
  const info = JSON.parse(execFileSync('gdalinfo', ['-json', SRTM], { encoding: 'utf8' })) as {
    size: [number, number];
    geoTransform: number[];
    bands: Array<{ noDataValue: number }>;
  };
  const gt = info.geoTransform;
  return {
    name: 'SRTM N10W110',
    path,
    gdalPath: path,
    type: 'Int16',
    width: info.size[0],
    height: info.size[1],
    nodata: info.bands[0]!.noDataValue,
    transform: { originX: gt[0]!, pixelWidth: gt[1]!, originY: gt[3]!, pixelHeight: gt[5]! },
    scale: 111120,
  };
}

/** The synthetic terrain's cell (row, col) of a size × size raster (see the header). */
function terrainValue(size: number, row: number, col: number, noise: number): number {
  const lake = Math.ceil(size * 0.016);
  for (let k = 0; k < 40; k++) {
    const c0 = Math.floor((((k * 7919) % 997) / 997) * (size - lake));
    const r0 = Math.floor((((k * 104729) % 991) / 991) * (size - lake));
    if (row >= r0 && row < r0 + lake && col >= c0 && col < c0 + lake) return NODATA;
  }
  const x = col / size;
  const y = row / size;
  return (
    600 +
    220 * Math.sin(2 * Math.PI * 1.7 * x) +
    60 * Math.sin(2 * Math.PI * 9.3 * x) +
    180 * Math.sin(2 * Math.PI * 2.3 * y) +
    50 * Math.sin(2 * Math.PI * 7.1 * y) +
    70 * Math.sin(2 * Math.PI * 3.1 * (x + y)) +
    noise
  );
}

/** Writes the synthetic terrain (see the header) strip by strip, and a VRT for gdaldem. */
export function syntheticRaster(dir: string, size: number): RawRaster {
  const path = join(dir, 'synthetic.f32');
  const fd = openSync(path, 'w');
  const row = new Float32Array(size);
  let s = 0x9e3779b9;
  try {
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        s ^= s << 13;
        s ^= s >>> 17;
        s ^= s << 5;
        row[c] = terrainValue(size, r, c, ((s >>> 0) / 2 ** 32 - 0.5) * 4);
      }
      writeSync(fd, new Uint8Array(row.buffer));
    }
  } finally {
    closeSync(fd);
  }
  const transform = { originX: 500000, originY: 5000000, pixelWidth: CELL, pixelHeight: -CELL };
  const vrt = join(dir, 'synthetic.vrt');
  writeFileSync(
    vrt,
    `<VRTDataset rasterXSize="${size}" rasterYSize="${size}"><SRS>EPSG:32632</SRS>` +
      `<GeoTransform>${transform.originX}, ${CELL}, 0, ${transform.originY}, 0, ${-CELL}</GeoTransform>` +
      `<VRTRasterBand dataType="Float32" band="1" subClass="VRTRawRasterBand"><NoDataValue>${NODATA}</NoDataValue>` +
      `<SourceFilename relativeToVRT="1">synthetic.f32</SourceFilename><ImageOffset>0</ImageOffset>` +
      `<PixelOffset>4</PixelOffset><LineOffset>${4 * size}</LineOffset><ByteOrder>LSB</ByteOrder>` +
      '</VRTRasterBand></VRTDataset>',
  );
  return {
    name: `synthetic ${size.toLocaleString('en-US')}²`,
    path,
    gdalPath: vrt,
    type: 'Float32',
    width: size,
    height: size,
    nodata: NODATA,
    transform,
    scale: 1,
  };
}

/**
 * Ours, as one job: reads `input` strip by strip (`strip` rows), derives `product` through its
 * stream, writes the raw output and an ENVI header to `out`. Returns the seconds it took.
 */
export function deriveFile(input: RawRaster, product: Product, out: string, strip: number): number {
  const t0 = performance.now();
  const { width, height } = input;
  const layout: TerrainLayout = {
    width,
    height,
    nodata: input.nodata,
    transform: input.transform,
  };
  const stream =
    product === 'slope'
      ? slopeStream(layout, { scale: input.scale })
      : hillshadeStream(layout, { scale: input.scale });
  const bytes = input.type === 'Int16' ? 2 : 4;
  const buffer = new ArrayBuffer(strip * width * bytes);
  const inFd = openSync(input.path, 'r');
  const outFd = openSync(out, 'w');
  const write = (cells: Float32Array | Uint8Array) => {
    if (cells.length > 0)
      writeSync(outFd, new Uint8Array(cells.buffer, cells.byteOffset, cells.byteLength));
  };
  try {
    for (let r = 0; r < height; r += strip) {
      const rows = Math.min(strip, height - r);
      const n = rows * width;
      readSync(inFd, new Uint8Array(buffer, 0, n * bytes), 0, n * bytes, r * width * bytes);
      write(
        stream.push(
          input.type === 'Int16' ? new Int16Array(buffer, 0, n) : new Float32Array(buffer, 0, n),
        ),
      );
    }
    write(stream.end());
  } finally {
    closeSync(inFd);
    closeSync(outFd);
  }
  const t = input.transform;
  writeFileSync(
    `${out}.hdr`,
    `ENVI\nsamples = ${width}\nlines = ${height}\nbands = 1\nheader offset = 0\nfile type = ENVI Standard\n` +
      `data type = ${product === 'slope' ? 4 : 1}\ninterleave = bsq\nbyte order = 0\n` +
      `map info = {Arbitrary, 1, 1, ${t.originX}, ${t.originY}, ${t.pixelWidth}, ${-t.pixelHeight}}\n` +
      `data ignore value = ${stream.nodata}\n`,
  );
  return (performance.now() - t0) / 1000;
}

// Runs a command, reporting its wall time and the peak RSS of its process tree's largest member.
const MEASURE = `
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE)
t = time.perf_counter() - t0
if r.returncode: sys.exit(r.returncode)
print(json.dumps({'seconds': t, 'maxRssMB': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 'stdout': r.stdout.decode()}))
`;

export interface Measured {
  readonly seconds: number;
  readonly maxRssMB: number;
}

function measure(command: string, args: readonly string[]): Measured & { stdout: string } {
  const out = execFileSync('python3', ['-c', MEASURE, command, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  return JSON.parse(out) as Measured & { stdout: string };
}

function gdaldem(input: RawRaster, product: Product, out: string): Measured {
  return measure('gdaldem', [
    product,
    input.gdalPath,
    out,
    '-of',
    'ENVI',
    '-q',
    '-s',
    String(input.scale),
  ]);
}

/** Cells of the two outputs that differ, and by how much at most (streamed, 8 MB at a time). */
export function compareFiles(
  a: string,
  b: string,
  product: Product,
): { unequal: number; largest: number } {
  const size = product === 'slope' ? 4 : 1;
  const chunk = 1 << 23;
  const fa = openSync(a, 'r');
  const fb = openSync(b, 'r');
  let unequal = 0;
  let largest = 0;
  try {
    const ba = new ArrayBuffer(chunk);
    const bb = new ArrayBuffer(chunk);
    for (let pos = 0; ; pos += chunk) {
      const na = readSync(fa, new Uint8Array(ba), 0, chunk, pos);
      const nb = readSync(fb, new Uint8Array(bb), 0, chunk, pos);
      const n = Math.min(na, nb);
      if (n === 0) break;
      const va = size === 4 ? new Float32Array(ba, 0, n / 4) : new Uint8Array(ba, 0, n);
      const vb = size === 4 ? new Float32Array(bb, 0, n / 4) : new Uint8Array(bb, 0, n);
      for (let i = 0; i < va.length; i++) {
        if (va[i] !== vb[i] && !(Number.isNaN(va[i]) && Number.isNaN(vb[i]))) {
          unequal++;
          largest = Math.max(largest, Math.abs(va[i]! - vb[i]!));
        }
      }
    }
  } finally {
    closeSync(fa);
    closeSync(fb);
  }
  return { unequal, largest };
}

export interface CaseResult {
  readonly raster: string;
  readonly product: Product;
  readonly cells: number;
  /** Our whole process (start-up, read, derive, write). */
  readonly ours: Measured;
  /** Our job inside the process (read, derive, write), without start-up. */
  readonly oursJobSeconds: number;
  readonly gdal?: Measured;
  /** Median over the runs of our time ÷ GDAL's in the same run. */
  readonly ratio?: number;
  readonly unequal?: number;
  readonly largest?: number;
}

export interface BenchOptions {
  readonly size: number;
  readonly repeats: number;
  readonly strip: number;
  /** Include the SRTM tile (when the shared data is here). */
  readonly srtm: boolean;
  /** Time gdaldem beside ours and compare the outputs. */
  readonly gdal: boolean;
  /**
   * Run ours in a child process (`node` on this bundle, as `npm run bench` builds it), for its own
   * peak RSS; false runs it in this process (the smoke test's way), RSS then this process's.
   */
  readonly isolate: boolean;
}

export interface BenchResult {
  readonly rows: CaseResult[];
  /** Seconds and peak RSS of each side's process on a 3 × 3 raster: the start-up. */
  readonly startup: { ours?: Measured; gdal?: Measured };
}

function oursRun(
  input: RawRaster,
  product: Product,
  out: string,
  opts: BenchOptions,
): { m: Measured; job: number } {
  if (!opts.isolate) {
    const t0 = performance.now();
    const job = deriveFile(input, product, out, opts.strip);
    return {
      m: {
        seconds: (performance.now() - t0) / 1000,
        maxRssMB: process.resourceUsage().maxRSS / 1024,
      },
      job,
    };
  }
  const args = [
    process.argv[1]!,
    '--child',
    JSON.stringify({ input, product, out, strip: opts.strip }),
  ];
  const m = measure(process.execPath, args);
  return { m, job: Number(m.stdout) };
}

/**
 * Before a timed run: the previous output removed and every dirty page written back, so neither
 * side pays for the other's writes.
 */
function settle(output: string): void {
  rmSync(output, { force: true });
  spawnSync('sync');
}

/** Runs the benchmark (see the header) in a fresh temporary directory. */
export function runTerrainBench(opts: BenchOptions): BenchResult {
  const dir = mkdtempSync(join(tmpdir(), 'weir-geo-terrain-'));
  try {
    const inputs = [
      ...(opts.srtm ? [srtmRaster(dir)].filter((r) => r !== undefined) : []),
      syntheticRaster(dir, opts.size),
    ];
    const tinyDir = join(dir, 'tiny');
    mkdirSync(tinyDir);
    const tiny = syntheticRaster(tinyDir, 3);
    const startup = {
      ...(opts.isolate ? { ours: oursRun(tiny, 'slope', join(dir, 'tiny-ours'), opts).m } : {}),
      ...(opts.gdal ? { gdal: gdaldem(tiny, 'slope', join(dir, 'tiny-gdal')) } : {}),
    };
    const rows: CaseResult[] = [];
    for (const input of inputs) {
      for (const product of ['slope', 'hillshade'] as const) {
        const mine = join(dir, `ours-${product}`);
        const theirs = join(dir, `gdal-${product}`);
        const ours: Measured[] = [];
        const jobs: number[] = [];
        const gdal: Measured[] = [];
        for (let k = 0; k < opts.repeats; k++) {
          settle(mine);
          const o = oursRun(input, product, mine, opts);
          ours.push(o.m);
          jobs.push(o.job);
          if (opts.gdal) {
            settle(theirs);
            gdal.push(gdaldem(input, product, theirs));
          }
        }
        const summary = (ms: Measured[]): Measured => ({
          seconds: median(ms.map((m) => m.seconds)),
          maxRssMB: Math.max(...ms.map((m) => m.maxRssMB)),
        });
        const row: CaseResult = {
          raster: input.name,
          product,
          cells: input.width * input.height,
          ours: summary(ours),
          oursJobSeconds: median(jobs),
        };
        rows.push(
          opts.gdal
            ? {
                ...row,
                gdal: summary(gdal),
                ratio: median(ours.map((o, k) => o.seconds / gdal[k]!.seconds)),
                ...compareFiles(mine, theirs, product),
              }
            : row,
        );
        for (const f of [mine, `${mine}.hdr`, theirs, `${theirs}.hdr`, `${theirs}.aux.xml`]) {
          rmSync(f, { force: true });
        }
      }
    }
    return { rows, startup };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether gdaldem and python3 (which measures the processes) are here. */
export function gdaldemAvailable(): boolean {
  for (const [command, args] of [
    ['gdaldem', ['--version']],
    ['python3', ['--version']],
  ] as const) {
    const r = spawnSync(command, args, { stdio: 'ignore' });
    if (r.error) return false;
  }
  return true;
}

function child(): void {
  const { input, product, out, strip } = JSON.parse(process.argv[3]!) as {
    input: RawRaster;
    product: Product;
    out: string;
    strip: number;
  };
  process.stdout.write(String(deriveFile(input, product, out, strip)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] === '--child') {
    child();
  } else {
    const size = Number(option('size') ?? 10_000);
    const repeats = Number(option('repeats') ?? 3);
    const strip = Number(option('strip') ?? 64);
    const withGdal = gdaldemAvailable();
    const result = runTerrainBench({
      size,
      repeats,
      strip,
      srtm: withGdal,
      gdal: withGdal,
      isolate: true,
    });
    const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
    const rows = result.rows.map((r) => [
      r.raster,
      r.product,
      r.ours.seconds.toFixed(3),
      r.oursJobSeconds.toFixed(3),
      r.gdal ? r.gdal.seconds.toFixed(3) : '-',
      r.ratio === undefined ? '-' : r.ratio.toFixed(2),
      fmt(r.cells / r.oursJobSeconds / 1e6),
      fmt(r.ours.maxRssMB),
      r.gdal ? fmt(r.gdal.maxRssMB) : '-',
      r.unequal === undefined
        ? '-'
        : r.unequal === 0
          ? 'all'
          : `${fmt(r.cells - r.unequal)} (max |Δ| ${r.largest})`,
    ]);
    const s = result.startup;
    process.stdout.write(
      `geo-terrain: slope (degrees, Horn) and hillshade (standard, Horn) as whole processes on the same raw input, writing an uncompressed raw output; median of ${repeats} alternating runs; ours streams ${strip}-row strips\n` +
        `synthetic: Float32, 30 m cells, ~1% nodata; SRTM: Int16, -s 111120; x GDAL = our process time / gdaldem's (< 1: faster); RSS = peak resident set of each process\n` +
        `start-up on a 3 × 3 raster: ours (node) ${s.ours ? `${s.ours.seconds.toFixed(3)} s, ${fmt(s.ours.maxRssMB)} MB` : '-'}; gdaldem ${s.gdal ? `${s.gdal.seconds.toFixed(3)} s, ${fmt(s.gdal.maxRssMB)} MB` : '(not installed: skipped)'}\n\n` +
        `${table(['raster', 'derivative', 'ours s', 'ours job s', 'gdaldem s', 'x GDAL', 'ours Mcells/s', 'ours RSS MB', 'gdaldem RSS MB', 'cells equal'], rows)}\n`,
    );
  }
}
