/**
 * The geospatial pipeline through the CLI, on the real data: it materializes with every check
 * passing, a second run has nothing to do, the COGs pass GDAL's validator and hold the input's
 * pixels, a changed DEM reruns exactly its own partitions downstream, `weir why` traces a zonal
 * table to its DEM and code, and a published COG streams over HTTP into GDAL as into QGIS.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readGeoTiffFile, writeCog } from '@weir/geo';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  gdalinfo,
  gdalQuiet,
  noGdalForCog,
  validateCogFile,
} from '../../../packages/geo/test/_gdal.js';
import { exampleCopy, noSharedData, serve, sharedDataTitle, weir } from './_project.js';

interface StatusRow {
  key: string;
  status: string;
}

const ran = (output: string) => [...output.matchAll(/✓ (\S+)/g)].map((m) => m[1]!).sort();

describe.skipIf(noSharedData)(sharedDataTitle('the geospatial pipeline'), () => {
  let dir: string;
  beforeAll(() => {
    dir = exampleCopy();
    const first = weir(dir, 'materialize');
    expect(first.code, first.stderr + first.stdout).toBe(0);
  }, 300_000);

  it('materializes every asset fresh with every check passing, then has nothing to do', () => {
    const status = weir(dir, 'status', '--json');
    const rows = JSON.parse(status.stdout) as StatusRow[];
    expect(rows.filter((r) => r.status !== 'fresh')).toEqual([]);
    const checks = weir(dir, 'check');
    expect(checks.code, checks.stdout + checks.stderr).toBe(0);
    expect(checks.stdout).not.toMatch(/✗|failed/);
    const again = weir(dir, 'materialize');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to do');
  });

  it.skipIf(noGdalForCog)('writes COGs that GDAL validates, pixel for pixel the input', () => {
    for (const [partition, input] of [
      ['n10w110', 'inputs/N10W110.hgt'],
      ['pysheds', 'inputs/pysheds/dem.tif'],
    ] as const) {
      const path = weir(dir, 'value', 'geo/dem_cog', '--partition', partition).stdout.trim();
      const verdict = validateCogFile(path);
      expect(verdict.valid, verdict.output).toBe(true);
      const ours = gdalinfo(path, { checksum: true });
      const source = gdalinfo(join(dir, input), { checksum: true });
      expect(ours.bands[0]!.checksum).toBe(source.bands[0]!.checksum);
      expect(ours.geoTransform).toEqual(source.geoTransform);
      expect(ours.bands[0]!.noDataValue).toEqual(source.bands[0]!.noDataValue);
    }
  });

  it.skipIf(noGdalForCog)('writes catchments OGR reads as valid GeoJSON polygons', () => {
    const geojson = join(dir, 'catchments.geojson');
    writeFileSync(geojson, weir(dir, 'value', 'geo/catchments', '--partition', 'pysheds').stdout);
    const sql = 'SELECT COUNT(*) AS n, SUM(ST_IsValid(geometry)) AS valid FROM catchments';
    const r = spawnSync('ogrinfo', ['-q', '-dialect', 'SQLite', '-sql', sql, geojson], {
      encoding: 'utf8',
      env: { ...process.env, GDAL_PAM_ENABLED: 'NO' },
    });
    expect(r.stderr).not.toMatch(/Non closed ring/);
    const n = Number(/n \(Integer\) = (\d+)/.exec(r.stdout)?.[1]);
    expect(n).toBeGreaterThan(0);
    expect(r.stdout).toContain(`valid (Integer) = ${n}`);
  });

  it('reruns exactly the changed DEM’s partitions downstream', async () => {
    const input = join(dir, 'inputs/pysheds/dem.tif');
    const dem = await readGeoTiffFile(input);
    const values = Int16Array.from(dem.values as Int16Array);
    values[180 * dem.width + 180] = values[180 * dem.width + 180]! + 7;
    await writeCog({ ...dem, values }, input);
    const run = weir(dir, 'materialize');
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(ran(run.stdout + run.stderr)).toEqual(
      [
        'geo/aspect[pysheds]',
        'geo/catchment_features[pysheds]',
        'geo/catchments[pysheds]',
        'geo/dem_cog[pysheds]',
        'geo/hillshade[pysheds]',
        'geo/slope[pysheds]',
      ].sort(),
    );
  });

  it('names the DEM and the code behind a zonal table', () => {
    const why = weir(dir, 'why', 'geo/catchment_features', '--partition', 'pysheds', '--lineage');
    expect(why.code, why.stderr).toBe(0);
    expect(why.stdout).toMatch(/geo\/dem_file\[pysheds\]/);
    expect(why.stdout).toMatch(/geo\/dem_cog\[pysheds\]/);
    expect(why.stdout).toMatch(/code [0-9a-f]{8}/);
  });

  it.skipIf(noGdalForCog)(
    'publishes a COG over HTTP with range requests that GDAL streams through /vsicurl/',
    async () => {
      const { url, server } = await serve(dir);
      try {
        const cog = `${url}/api/assets/geo%2Fdem_cog/artefact?partition=n10w110`;
        const head = await fetch(cog, { headers: { Range: 'bytes=0-15' } });
        expect(head.status).toBe(206);
        expect(new Uint8Array(await head.arrayBuffer()).slice(0, 2)).toEqual(
          Uint8Array.of(0x49, 0x49),
        );
        const remote = JSON.parse(
          gdalQuiet('gdalinfo', ['-json', '-checksum', `/vsicurl/${cog}`]),
        ) as { size: number[]; bands: Array<{ checksum: number }> };
        const local = gdalinfo(join(dir, 'inputs/N10W110.hgt'), { checksum: true });
        expect(remote.size).toEqual([1201, 1201]);
        expect(remote.bands[0]!.checksum).toBe(local.bands[0]!.checksum);
        if (hasQgis) {
          renderWithQgis(
            dir,
            `/vsicurl/${url}/api/assets/geo%2Fhillshade/artefact?partition=pysheds`,
          );
        }
      } finally {
        server.kill();
      }
    },
    120_000,
  );
});

/** Whether QGIS's Python API is installed (Debian's qgis): then it renders a published COG. */
const hasQgis = (() => {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import qgis.core'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Renders `source` with QGIS's map renderer (bin/qgis-render.py); the picture is not empty. */
function renderWithQgis(dir: string, source: string): void {
  const png = join(dir, 'qgis-render.png');
  const report = JSON.parse(
    execFileSync('/usr/bin/python3', [join(dir, 'bin', 'qgis-render.py'), source, png], {
      encoding: 'utf8',
      env: { ...process.env, QT_QPA_PLATFORM: 'offscreen' },
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .trim()
      .split('\n')
      .pop()!,
  ) as { valid: boolean; crs: string; distinct_colours: number; non_background: number };
  expect(report.valid).toBe(true);
  expect(report.crs).toBe('EPSG:4326');
  expect(report.distinct_colours).toBeGreaterThan(10);
  expect(report.non_background).toBeGreaterThan(1000);
  expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
}
