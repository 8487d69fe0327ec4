/**
 * @module cog/stream
 * Reads the source one row of tiles at a time, compresses its tiles and builds the overviews as
 * the rows go by, appending every level's rows of compressed tiles to the tile store.
 *
 * Memory: the source's strip (one row of tiles), one strip per overview level (each half the
 * width of the one above), a few rows per downsampler, and the rows of tiles still being
 * compressed (at most one per level beyond the one being read). Never the whole raster.
 */
import { tileEncoder } from './codec.js';
import { Downsampler } from './downsample.js';
import type { LevelTiles } from './layout.js';
import type { CogPlan } from './plan.js';
import { tilesAcross } from './pyramid.js';
import type { TileStore } from './store.js';
import type { SampleArray, TileSource } from './types.js';

/** A level's tiles in the store: their sizes and where each row of tiles starts. */
export interface StoredLevel extends LevelTiles {
  readonly rowStart: Float64Array;
}

/** Compresses the whole pyramid of `source` into `store`. */
export async function compressPyramid(
  source: TileSource,
  plan: CogPlan,
  store: TileStore,
): Promise<StoredLevel[]> {
  const T = plan.tileSize;
  const { sample } = plan;
  const encode = tileEncoder(plan);
  const levels: StoredLevel[] = plan.levels.map(({ width, height }) => {
    const tilesX = tilesAcross(width, T);
    const tilesY = tilesAcross(height, T);
    return {
      width,
      height,
      tilesX,
      tilesY,
      lengths: new Float64Array(tilesX * tilesY),
      rowStart: new Float64Array(tilesY),
    };
  });
  const queue = new WriteQueue(store);

  // Tile buffers are reused once compressed, except uncompressed ones, which are the output.
  const spare: SampleArray[] = [];
  const reuse = plan.compression !== 'none';

  const emitTileRow = (k: number, strip: SampleArray, rows: number, tileRow: number): void => {
    const level = levels[k]!;
    const W = level.width;
    const encoded: Array<Promise<Uint8Array>> = [];
    for (let tx = 0; tx < level.tilesX; tx++) {
      const x0 = tx * T;
      const w = Math.min(T, W - x0);
      const tile = spare.pop() ?? sample.create(T * T);
      // Edge tiles are padded with zeros, as GDAL pads them (their outside is never read).
      if (w < T || rows < T) tile.fill(0);
      for (let r = 0; r < rows; r++) tile.set(strip.subarray(r * W + x0, r * W + x0 + w), r * T);
      const bytes = encode(tile);
      encoded.push(
        reuse
          ? bytes.then((b) => {
              spare.push(tile);
              return b;
            })
          : bytes,
      );
    }
    queue.add(level, tileRow, Promise.all(encoded));
  };

  const downsamplers: Downsampler[] = [];
  for (let k = 1; k < levels.length; k++) {
    const above = levels[k - 1]!;
    const level = levels[k]!;
    const strip = sample.create(T * level.width);
    downsamplers[k] = new Downsampler(
      {
        sample,
        srcWidth: above.width,
        srcHeight: above.height,
        dstWidth: level.width,
        dstHeight: level.height,
        nodata: plan.storedNodata,
        method: plan.resampling,
      },
      (row, r) => {
        strip.set(row, (r % T) * level.width);
        if (r % T === T - 1 || r === level.height - 1) {
          emitTileRow(k, strip, (r % T) + 1, Math.floor(r / T));
        }
        downsamplers[k + 1]?.push(row, r);
      },
    );
  }

  const { width: W, height: H } = plan;
  for (let ty = 0; ty < levels[0]!.tilesY; ty++) {
    // Two rows of tiles in flight keep the thread pool busy; more would only hold memory.
    await queue.waitBelow(2);
    const y0 = ty * T;
    const h = Math.min(T, H - y0);
    const strip = await readStrip(source, plan, y0, h);
    emitTileRow(0, strip, h, ty);
    const next = downsamplers[1];
    if (next) for (let r = 0; r < h; r++) next.push(strip.subarray(r * W, (r + 1) * W), y0 + r);
  }
  await queue.waitBelow(0);
  return levels;
}

async function readStrip(
  source: TileSource,
  plan: CogPlan,
  y0: number,
  h: number,
): Promise<SampleArray> {
  const W = plan.width;
  const got: unknown = await source.readWindow(0, y0, W, h);
  if (!plan.sample.is(got) || got.length !== W * h) {
    const what =
      ArrayBuffer.isView(got) && 'length' in got
        ? `${got.constructor.name} of ${(got as SampleArray).length} samples`
        : String(got);
    throw new TypeError(
      `readWindow(0, ${y0}, ${W}, ${h}) returned ${what}; expected ${plan.sample.arrayName} of ${W * h} samples (${plan.sample.type}, row-major)`,
    );
  }
  return got;
}

/** Writes rows of compressed tiles to the store in the order they were added. */
class WriteQueue {
  private readonly pending: Array<Promise<void>> = [];
  private last: Promise<void> = Promise.resolve();

  constructor(private readonly store: TileStore) {}

  add(level: StoredLevel, tileRow: number, encoded: Promise<Uint8Array[]>): void {
    // Failures surface where the queue is awaited; these handlers only keep them from being
    // reported as unhandled before then.
    encoded.catch(() => {});
    const done = this.last.then(async () => {
      const tiles = await encoded;
      level.rowStart[tileRow] = await this.store.append(tiles);
      tiles.forEach((t, i) => {
        level.lengths[tileRow * level.tilesX + i] = t.byteLength;
      });
    });
    done.catch(() => {});
    this.last = done;
    this.pending.push(done);
  }

  /** Waits until at most `n` rows are still to be written. */
  async waitBelow(n: number): Promise<void> {
    while (this.pending.length > n) await this.pending.shift();
  }
}
