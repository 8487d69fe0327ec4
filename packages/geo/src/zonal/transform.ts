/**
 * @module zonal/transform
 * The georeferencing of a grid: GDAL's six-number affine geotransform, restricted to the
 * north-up (or any axis-aligned) case without rotation.
 *
 * GDAL's geotransform `[gt0, gt1, gt2, gt3, gt4, gt5]` maps pixel/line `(col, row)` to map
 * `(x, y)` as `x = gt0 + col·gt1 + row·gt2`, `y = gt3 + col·gt4 + row·gt5`. Here `gt2` and `gt4`
 * (the rotation/shear terms) must be 0, leaving `x = originX + col·pixelWidth`,
 * `y = originY + row·pixelHeight`. `(col, row)` are continuous pixel coordinates: `(0, 0)` is the
 * outer corner of the first cell, `(c + 0.5, r + 0.5)` the centre of cell `(c, r)`, and cell
 * `(c, r)` is the square `[c, c+1] × [r, r+1]` in pixel space. For a north-up raster `pixelHeight`
 * is negative (rows go south); either sign is accepted for either axis.
 */

/** An axis-aligned affine transform from pixel `(col, row)` to map `(x, y)` (see the module). */
export interface GeoTransform {
  /** Map x of the corner of pixel (0, 0) (GDAL gt[0]). */
  readonly originX: number;
  /** Map y of the corner of pixel (0, 0) (GDAL gt[3]). */
  readonly originY: number;
  /** Map x per column (GDAL gt[1]); non-zero. */
  readonly pixelWidth: number;
  /** Map y per row (GDAL gt[5]); negative for a north-up raster; non-zero. */
  readonly pixelHeight: number;
}

/** A `GeoTransform`, or GDAL's six numbers `[originX, pixelWidth, 0, originY, 0, pixelHeight]`. */
export type GeoTransformLike = GeoTransform | ArrayLike<number>;

/**
 * The `GeoTransform` of GDAL's six-number geotransform. Throws on a rotated or sheared transform
 * (`gt[2]` or `gt[4]` non-zero), a zero pixel size, or a non-finite number.
 */
export function geoTransformFromGdal(gt: ArrayLike<number>): GeoTransform {
  if (gt.length !== 6) {
    throw new RangeError(`a GDAL geotransform has 6 numbers, got ${gt.length}`);
  }
  for (let i = 0; i < 6; i++) {
    if (typeof gt[i] !== 'number' || !Number.isFinite(gt[i])) {
      throw new RangeError(`geotransform gt[${i}] must be a finite number, got ${String(gt[i])}`);
    }
  }
  const [originX, pixelWidth, rotX, originY, rotY, pixelHeight] = Array.from(gt) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (rotX !== 0 || rotY !== 0) {
    throw new RangeError(
      `rotated or sheared geotransforms are not supported (gt[2] = ${rotX}, gt[4] = ${rotY}; both must be 0): warp the raster to a north-up grid first`,
    );
  }
  return checkTransform({ originX, originY, pixelWidth, pixelHeight });
}

/** GDAL's six numbers for `t`. */
export function toGdalGeoTransform(
  t: GeoTransform,
): [number, number, number, number, number, number] {
  return [t.originX, t.pixelWidth, 0, t.originY, 0, t.pixelHeight];
}

/** A validated `GeoTransform` from either form; throws as `geoTransformFromGdal` does. */
export function toGeoTransform(t: GeoTransformLike): GeoTransform {
  if ('length' in t) return geoTransformFromGdal(t);
  return checkTransform(t as GeoTransform);
}

function checkTransform(t: GeoTransform): GeoTransform {
  for (const k of ['originX', 'originY', 'pixelWidth', 'pixelHeight'] as const) {
    if (typeof t[k] !== 'number' || !Number.isFinite(t[k])) {
      throw new RangeError(`geotransform ${k} must be a finite number, got ${t[k]}`);
    }
  }
  if (t.pixelWidth === 0 || t.pixelHeight === 0) {
    throw new RangeError(
      `geotransform pixel size must be non-zero, got ${t.pixelWidth} × ${t.pixelHeight}`,
    );
  }
  return {
    originX: t.originX,
    originY: t.originY,
    pixelWidth: t.pixelWidth,
    pixelHeight: t.pixelHeight,
  };
}

/** Continuous pixel column of map x. */
export function mapToCol(t: GeoTransform, x: number): number {
  return (x - t.originX) / t.pixelWidth;
}

/** Continuous pixel row of map y. */
export function mapToRow(t: GeoTransform, y: number): number {
  return (y - t.originY) / t.pixelHeight;
}

/** Map `(x, y)` of continuous pixel coordinates `(col, row)`. */
export function pixelToMap(t: GeoTransform, col: number, row: number): [number, number] {
  return [t.originX + col * t.pixelWidth, t.originY + row * t.pixelHeight];
}
