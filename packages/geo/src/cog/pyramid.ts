/**
 * @module cog/pyramid
 * The sizes of a COG's levels, by GDAL's COG driver rule: halve (rounding down, at least 1) while
 * either side of the last level is larger than a tile. A raster that fits in one tile has none.
 */

export interface LevelSize {
  readonly width: number;
  readonly height: number;
}

/** Full resolution first, then each overview. */
export function pyramidSizes(
  width: number,
  height: number,
  tileSize: number,
  overviews: boolean,
): LevelSize[] {
  const sizes: LevelSize[] = [{ width, height }];
  let w = width;
  let h = height;
  while (overviews && (w > tileSize || h > tileSize)) {
    w = Math.max(1, Math.floor(w / 2));
    h = Math.max(1, Math.floor(h / 2));
    sizes.push({ width: w, height: h });
  }
  return sizes;
}

/** Tiles needed to cover `n` pixels. */
export function tilesAcross(n: number, tileSize: number): number {
  return Math.ceil(n / tileSize);
}
