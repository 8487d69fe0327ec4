// Zonal statistics throughput: `npm run bench -- geo-zonal [--size N] [--repeats N]
// [--polygons lux|random]`. `zonalStatistics` (packages/geo, src/zonal) over a synthetic Float32
// terrain of N × N cells (default 10,000 × 10,000 = 400 MB: ridges and valleys from a few sine
// waves plus per-cell noise, 100-1,100 m, with rectangular "lakes" of nodata -9999 covering about
// 1%), 10 m cells. Zones: the 12 cantons of Luxembourg (lux.shp of the shared data) stretched over
// the raster's extent, so together they cover it once; random 64-vertex star polygons when the data
// is absent or with --polygons random.
//
// The baseline, measured in the same run on the same cells and polygons: what a GIS engineer
// writes with GDAL's Python bindings and numpy (as rasterstats does it): the band read into a
// numpy array once, then per polygon gdal.RasterizeLayer into a MEM mask over the polygon's
// bounding window, and count/nodata/min/max/mean/std/sum of the masked cells with numpy. Both
// sides are timed on a raster already in memory (reading the file is not timed), alternating run
// for run, median of --repeats runs, under GDAL's default rule (centre-inside) and
// ALL_TOUCHED=TRUE (all-touched). The figures: seconds, selected cells per second, the ratio to
// GDAL (median of the per-run ratios; < 1: faster), whether the counts equal GDAL's zone by zone,
// the largest difference of the means, and peak memory.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type GeoTransform,
  type Grid,
  type PixelRule,
  type PolygonalGeometry,
  type Position,
  readShapefile,
  toGdalGeoTransform,
  type Zone,
  zonalStatistics,
} from '../packages/geo/src/index.js';
import { gc, median, option, table } from './_report.js';

const PYTHON = '/usr/bin/python3';
const NODATA = -9999;
const CELL = 10;
const RULES: readonly PixelRule[] = ['centre-inside', 'all-touched'];
const LUX = fileURLToPath(
  new URL(
    `${(process.env.WEIR_SHARED_DATA ?? '../../shared/data').replace(/\/$/, '')}/geospatial/lux.shp`,
    process.env.WEIR_SHARED_DATA ? 'file:///' : import.meta.url,
  ),
);

/** The synthetic terrain (see the header), deterministic. */
export function syntheticTerrain(size: number): Grid<Float32Array> {
  const values = new Float32Array(size * size);
  const wave = (n: number, periods: number[], amplitudes: number[]) =>
    Float64Array.from({ length: n }, (_, i) =>
      periods.reduce((s, p, k) => s + amplitudes[k]! * Math.sin((2 * Math.PI * i) / p), 0),
    );
  const cols = wave(size, [size / 1.7, size / 9.3, 97], [220, 60, 8]);
  const rows = wave(size, [size / 2.3, size / 7.1, 61], [180, 50, 6]);
  const diagonal = wave(2 * size, [size / 3.1, 211], [70, 5]);
  let s = 0x9e3779b9;
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      const noise = ((s >>> 0) / 2 ** 32 - 0.5) * 4;
      values[r * size + c] = 600 + cols[c]! + rows[r]! + diagonal[r + size - 1 - c]! + noise;
    }
  }
  for (let k = 0; k < 40; k++) {
    const w = Math.ceil(size * 0.016);
    const c0 = Math.floor((((k * 7919) % 997) / 997) * (size - w));
    const r0 = Math.floor((((k * 104729) % 991) / 991) * (size - w));
    for (let r = r0; r < r0 + w; r++) values.fill(NODATA, r * size + c0, r * size + c0 + w);
  }
  return { width: size, height: size, values, nodata: NODATA, cellSize: { x: CELL, y: CELL } };
}

/** The raster's transform: 10 m cells, north-up, origin at (0, size·10). */
export function terrainTransform(size: number): GeoTransform {
  return { originX: 0, originY: size * CELL, pixelWidth: CELL, pixelHeight: -CELL };
}

/** The zones: lux.shp's cantons stretched over the raster, or random star polygons. */
export async function benchZones(size: number, kind: 'lux' | 'random'): Promise<Zone<number>[]> {
  const extent = size * CELL;
  if (kind === 'lux') {
    const layer = await readShapefile(LUX);
    const points = layer.features.flatMap((f) => allPositions(f.geometry));
    const [x0, x1] = extentOf(points.map((p) => p[0]!));
    const [y0, y1] = extentOf(points.map((p) => p[1]!));
    const map = (p: Position): number[] => [
      ((p[0]! - x0) / (x1 - x0)) * extent,
      ((p[1]! - y0) / (y1 - y0)) * extent,
    ];
    return layer.features.map((f, id) => ({ id, geometry: mapGeometry(f.geometry, map) }));
  }
  let s = 12345;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  return Array.from({ length: 12 }, (_, id) => {
    const cx = extent * (0.15 + 0.7 * next());
    const cy = extent * (0.15 + 0.7 * next());
    const radius = extent * (0.08 + 0.12 * next());
    const ring = Array.from({ length: 64 }, (_, k) => {
      const a = (2 * Math.PI * k) / 64;
      const r = radius * (0.5 + 0.5 * next());
      return [cx + r * Math.cos(a), cy + r * Math.sin(a)];
    });
    return { id, geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]!]] } };
  });
}

function allPositions(g: PolygonalGeometry): Position[] {
  return g.type === 'Polygon' ? g.coordinates.flat() : g.coordinates.flat(2);
}

function extentOf(xs: number[]): [number, number] {
  return [Math.min(...xs), Math.max(...xs)];
}

function mapGeometry(g: PolygonalGeometry, map: (p: Position) => number[]): PolygonalGeometry {
  return g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: g.coordinates.map((ring) => ring.map(map)) }
    : {
        type: 'MultiPolygon',
        coordinates: g.coordinates.map((poly) => poly.map((ring) => ring.map(map))),
      };
}

/** One zone's statistics as both sides report them. */
export interface ZoneStats {
  id: number;
  count: number;
  nodata: number;
  mean: number | null;
}

/** GDAL + numpy zonal statistics (see the header): median seconds, peak RSS, per-zone stats. */
export interface GdalRun {
  seconds: number;
  maxRssMB: number;
  stats: ZoneStats[];
}

const GDAL_ZONAL = `
import json, math, resource, sys, time
import numpy as np
from osgeo import gdal, ogr
gdal.UseExceptions()
raster, vector, rule, repeats = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
ds = gdal.Open(raster)
band = ds.GetRasterBand(1)
nodata = band.GetNoDataValue()
gt = ds.GetGeoTransform()
W, H = ds.RasterXSize, ds.RasterYSize
values = band.ReadAsArray()
src = ogr.Open(vector)
layer = src.GetLayer()
srs = layer.GetSpatialRef()
features = [(f.GetFID(), f.GetGeometryRef().Clone()) for f in layer]
options = ['ALL_TOUCHED=TRUE'] if rule == 'all-touched' else []
mem = ogr.GetDriverByName('Memory')

def zonal(fid, geom):
    minx, maxx, miny, maxy = geom.GetEnvelope()
    c0 = max(0, int(math.floor((minx - gt[0]) / gt[1])))
    c1 = min(W, int(math.ceil((maxx - gt[0]) / gt[1])))
    r0 = max(0, int(math.floor((maxy - gt[3]) / gt[5])))
    r1 = min(H, int(math.ceil((miny - gt[3]) / gt[5])))
    if c1 <= c0 or r1 <= r0:
        return {'id': fid, 'count': 0, 'nodata': 0, 'mean': None}
    mask_ds = gdal.GetDriverByName('MEM').Create('', c1 - c0, r1 - r0, 1, gdal.GDT_Byte)
    mask_ds.SetGeoTransform((gt[0] + c0 * gt[1], gt[1], 0, gt[3] + r0 * gt[5], 0, gt[5]))
    zone_ds = mem.CreateDataSource('')
    zone = zone_ds.CreateLayer('zone', srs)
    f = ogr.Feature(zone.GetLayerDefn())
    f.SetGeometry(geom)
    zone.CreateFeature(f)
    gdal.RasterizeLayer(mask_ds, [1], zone, burn_values=[1], options=options)
    selected = values[r0:r1, c0:c1][mask_ds.ReadAsArray().astype(bool)]
    valid = selected[(selected != nodata) & ~np.isnan(selected)].astype(np.float64)
    n = int(valid.size)
    stats = {'id': fid, 'count': n, 'nodata': int(selected.size) - n, 'mean': None}
    if n:
        stats.update(mean=float(valid.mean()), min=float(valid.min()), max=float(valid.max()),
                     std=float(valid.std()), sum=float(valid.sum()))
    return stats

times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    stats = [zonal(fid, g) for fid, g in features]
    times.append(time.perf_counter() - t0)
times.sort()
print(json.dumps({'seconds': times[len(times) // 2],
                  'maxRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  'stats': stats}))
`;

/** Whether GDAL's Python bindings and numpy are there for the baseline. */
export function gdalAvailable(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'from osgeo import gdal, ogr; import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The GDAL + numpy baseline on a raster file and a vector file GDAL can open. */
export function gdalZonal(
  raster: string,
  vector: string,
  rule: PixelRule,
  repeats: number,
): GdalRun {
  const out = execFileSync(PYTHON, ['-c', GDAL_ZONAL, raster, vector, rule, String(repeats)], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  return JSON.parse(out) as GdalRun;
}

/** Writes the grid as a raw band behind a VRT (GDAL reads it without a copy); the VRT's path. */
function writeForGdal(dir: string, grid: Grid<Float32Array>, t: GeoTransform): string {
  writeFileSync(join(dir, 'terrain.bin'), grid.values);
  const vrt = join(dir, 'terrain.vrt');
  writeFileSync(
    vrt,
    `<VRTDataset rasterXSize="${grid.width}" rasterYSize="${grid.height}">
  <GeoTransform>${toGdalGeoTransform(t).join(', ')}</GeoTransform>
  <VRTRasterBand dataType="Float32" band="1" subClass="VRTRawRasterBand">
    <NoDataValue>${NODATA}</NoDataValue>
    <SourceFilename relativeToVRT="1">terrain.bin</SourceFilename>
    <ImageOffset>0</ImageOffset>
    <PixelOffset>4</PixelOffset>
    <LineOffset>${4 * grid.width}</LineOffset>
    <ByteOrder>LSB</ByteOrder>
  </VRTRasterBand>
</VRTDataset>
`,
  );
  return vrt;
}

function writeZones(dir: string, zones: readonly Zone<number>[]): string {
  const path = join(dir, 'zones.geojson');
  writeFileSync(
    path,
    JSON.stringify({
      type: 'FeatureCollection',
      features: zones.map((z) => ({
        type: 'Feature',
        properties: { id: z.id },
        geometry: z.geometry,
      })),
    }),
  );
  return path;
}

export interface BenchRow {
  rule: PixelRule;
  weirSeconds: number;
  /** Cells selected by the polygons (with data or not), summed over the zones. */
  cells: number;
  gdalSeconds?: number;
  /** Median over the runs of weir's time ÷ GDAL's in the same run (< 1: faster than GDAL). */
  ratio?: number;
  /** Zones whose count and nodata count equal GDAL's. */
  sameCounts?: number;
  /** The largest |mean − GDAL's mean| over the zones. */
  maxMeanDiff?: number;
}

export interface BenchResult {
  size: number;
  zones: number;
  polygons: 'lux' | 'random';
  rows: BenchRow[];
  /** Peak RSS of this process before and after the zonal runs (the raster is in both). */
  weirRssMB: { beforeZonal: number; peak: number };
  gdalRssMB?: number;
}

/** Runs the benchmark (see the header); `gdal: false` times `zonalStatistics` alone. */
export async function runZonalBench(options: {
  size: number;
  repeats: number;
  polygons: 'lux' | 'random';
  gdal: boolean;
}): Promise<BenchResult> {
  const { size, repeats } = options;
  const polygons = options.polygons === 'lux' && !existsSync(LUX) ? 'random' : options.polygons;
  const grid = syntheticTerrain(size);
  const t = terrainTransform(size);
  const zones = await benchZones(size, polygons);
  const dir = options.gdal ? mkdtempSync(join(tmpdir(), 'weir-geo-zonal-')) : undefined;
  try {
    const files = dir && { raster: writeForGdal(dir, grid, t), vector: writeZones(dir, zones) };
    gc();
    const beforeZonal = maxRssMB();
    let gdalRss: number | undefined;
    // Run for run, ours then GDAL's, so a change in the machine's load hits both alike.
    const rows = RULES.map((rule): BenchRow => {
      let ours = zonalStatistics(grid, t, zones, { rule });
      const weirT: number[] = [];
      const gdalT: number[] = [];
      let g: GdalRun | undefined;
      for (let r = 0; r < repeats; r++) {
        gc();
        const t0 = performance.now();
        ours = zonalStatistics(grid, t, zones, { rule });
        weirT.push((performance.now() - t0) / 1000);
        if (files) {
          g = gdalZonal(files.raster, files.vector, rule, 1);
          gdalT.push(g.seconds);
          gdalRss = Math.max(gdalRss ?? 0, g.maxRssMB);
        }
      }
      const row: BenchRow = {
        rule,
        weirSeconds: median(weirT),
        cells: ours.reduce((n, z) => n + z.count + z.nodata, 0),
      };
      if (!g) return row;
      const theirs = g.stats;
      return {
        ...row,
        gdalSeconds: median(gdalT),
        ratio: median(weirT.map((w, k) => w / gdalT[k]!)),
        sameCounts: ours.filter(
          (z, i) => z.count === theirs[i]!.count && z.nodata === theirs[i]!.nodata,
        ).length,
        maxMeanDiff: Math.max(
          ...ours.map((z, i) => (z.count ? Math.abs(z.mean - (theirs[i]!.mean ?? Number.NaN)) : 0)),
        ),
      };
    });
    return {
      size,
      zones: zones.length,
      polygons,
      rows,
      weirRssMB: { beforeZonal, peak: maxRssMB() },
      ...(gdalRss === undefined ? {} : { gdalRssMB: gdalRss }),
    };
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

function maxRssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const size = Number(option('size') ?? 10_000);
  const repeats = Number(option('repeats') ?? 3);
  const withGdal = gdalAvailable();
  const result = await runZonalBench({
    size,
    repeats,
    polygons: (option('polygons') ?? 'lux') as 'lux' | 'random',
    gdal: withGdal,
  });
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  const rows = result.rows.map((r) => [
    r.rule,
    r.weirSeconds.toFixed(2),
    fmt(r.cells / r.weirSeconds / 1e6),
    r.gdalSeconds === undefined ? '-' : r.gdalSeconds.toFixed(2),
    r.gdalSeconds === undefined ? '-' : fmt(r.cells / r.gdalSeconds / 1e6),
    r.ratio === undefined ? '-' : r.ratio.toFixed(2),
    r.sameCounts === undefined ? '-' : `${r.sameCounts}/${result.zones}`,
    r.maxMeanDiff === undefined ? '-' : r.maxMeanDiff.toExponential(1),
  ]);
  const zonesText =
    result.polygons === 'lux'
      ? "the 12 cantons of lux.shp stretched over the raster's extent"
      : '12 random 64-vertex star polygons';
  process.stdout.write(
    `geo-zonal: zonal statistics of ${fmt(size)} × ${fmt(size)} Float32 cells (synthetic terrain, ~1% nodata), ${zonesText}; median of ${repeats} runs\n` +
      `baseline: GDAL ${withGdal ? '' : '(not installed: skipped) '}Python bindings + numpy, RasterizeLayer per polygon over its bounding window, alternating run for run, raster in memory; x GDAL = weir time / GDAL time\n\n` +
      `${table(['rule', 'weir s', 'weir Mcells/s', 'GDAL s', 'GDAL Mcells/s', 'x GDAL', 'same counts', 'max |Δmean|'], rows)}\n\n` +
      `peak RSS: weir (node) ${fmt(result.weirRssMB.peak)} MB (${fmt(result.weirRssMB.beforeZonal)} MB before the zonal runs, the raster ${fmt((size * size * 4) / 2 ** 20)} MB)` +
      `${result.gdalRssMB === undefined ? '' : `; GDAL (python) ${fmt(result.gdalRssMB)} MB`}\n`,
  );
}
