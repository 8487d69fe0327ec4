/**
 * `geo/catchments`: the main drainage basins of a DEM as polygons (GeoJSON). The DEM is filled
 * (Priority-Flood with ε, so flats drain), D8 directions give every cell its outlet, and each
 * basin of at least MIN_BASIN_SHARE of the DEM's cells is traced into a polygon with its outlet
 * and area. The SRTM tile is left out: it is open ocean around an atoll.
 */
import {
  drainageBasins,
  fillDepressions,
  flowDirection,
  type GeoRaster,
  pixelToMap,
  polygonize,
  readGeoTiffFile,
} from '@weir/geo';
import { asset, identityMapping, one } from 'weir';
import { demCog } from './dem-cog.js';
import { hydroDems } from './paths.js';

/** The smallest basin kept, as a share of the DEM's cells with data. */
export const MIN_BASIN_SHARE = 0.02;
const EARTH_RADIUS_KM = 6371.0088;

export interface CatchmentProperties {
  id: string;
  outletLon: number;
  outletLat: number;
  cells: number;
  areaKm2: number;
}

export interface Catchments {
  type: 'FeatureCollection';
  features: Array<{
    type: 'Feature';
    properties: CatchmentProperties;
    geometry: { type: 'MultiPolygon'; coordinates: number[][][][] };
  }>;
}

export const catchments = asset({
  key: 'geo/catchments',
  group: 'hydrology',
  kinds: ['vector', 'geojson'],
  tags: { resources: 'highmem' },
  pool: 'highmem',
  description: `Drainage basins of at least ${MIN_BASIN_SHARE * 100}% of the DEM, as polygons`,
  partitions: hydroDems,
  ins: { dem: one(demCog, identityMapping()) },
  materialize: async (ctx, { dem }): Promise<Catchments> => {
    const raster = await readGeoTiffFile(dem.path);
    const dirs = flowDirection(fillDepressions(raster, { epsilon: true }));
    const { labels, outlets } = drainageBasins(dirs);
    const dataCells = outlets.reduce((sum, o) => sum + o.cells, 0);
    const kept = outlets
      .filter((o) => o.cells >= MIN_BASIN_SHARE * dataCells)
      .sort((a, b) => b.cells - a.cells || a.label - b.label);
    const grid = { width: raster.width, height: raster.height, values: labels };
    const features = kept.map((outlet, i) => {
      const [outletLon, outletLat] = pixelToMap(
        raster.transform,
        outlet.col + 0.5,
        outlet.row + 0.5,
      );
      const geometry = polygonize(grid, raster.transform, { value: outlet.label });
      return {
        type: 'Feature' as const,
        properties: {
          id: `${ctx.partition.key}-${i + 1}`,
          outletLon: round(outletLon, 6),
          outletLat: round(outletLat, 6),
          cells: outlet.cells,
          areaKm2: round(basinArea(raster, labels, outlet.label), 3),
        },
        geometry: {
          type: 'MultiPolygon' as const,
          coordinates: geometry.coordinates.map((p) =>
            p.map((r) => r.map((pt) => [pt[0]!, pt[1]!])),
          ),
        },
      };
    });
    ctx.addMetadata({
      basins: features.length,
      outlets: outlets.length,
      coveredShare: round(kept.reduce((s, o) => s + o.cells, 0) / dataCells, 4),
    });
    return { type: 'FeatureCollection', features };
  },
});

/** Area of a basin on the sphere: each cell's longitude span × the band between its latitudes. */
function basinArea(raster: GeoRaster, labels: Int32Array, label: number): number {
  const { transform: t, width, height } = raster;
  const dLon = (Math.abs(t.pixelWidth) * Math.PI) / 180;
  let area = 0;
  for (let row = 0; row < height; row++) {
    const lat0 = ((t.originY + row * t.pixelHeight) * Math.PI) / 180;
    const lat1 = ((t.originY + (row + 1) * t.pixelHeight) * Math.PI) / 180;
    const cell = EARTH_RADIUS_KM ** 2 * dLon * Math.abs(Math.sin(lat0) - Math.sin(lat1));
    let cells = 0;
    for (let col = 0; col < width; col++) if (labels[row * width + col] === label) cells++;
    area += cells * cell;
  }
  return area;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
