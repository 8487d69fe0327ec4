/**
 * @module terrain/stream
 * Terrain derivatives row by row in bounded memory: the rows of a raster go in as strips (any
 * number of whole rows at a time), and each output row comes out once the row below it has
 * arrived. Memory is three input rows and a few row-length buffers, whatever the raster's height,
 * so a raster bigger than memory can be read, derived and written strip by strip. The whole-grid
 * functions (`slope`, `aspect`, `hillshade`, …) run the same code over the grid's rows.
 */
import {
  type GradientSetup,
  type Gradients,
  newRow,
  newScratch,
  prepareRow,
  type Row,
  rowGradients,
} from './gradient.js';
import { checkLayout, type TerrainAlgorithm, type TerrainLayout } from './options.js';
import { isElevationArray, nodataRule, samplePathOf } from './source.js';

/** What a derivative makes of each row's gradients. */
export interface TerrainProduct<T extends Float32Array | Uint8Array> {
  /** The output's nodata, as gdaldem declares it (undefined: none declared). */
  readonly nodata: number | undefined;
  /** A zeroed output array of `n` cells. */
  allocate(n: number): T;
  /** Writes output row `row` (`width` cells at `offset` of `out`) from its gradients. */
  writeRow(g: Gradients, row: number, out: T, offset: number): void;
}

/** A derivative fed strip by strip; see the module. */
export class TerrainStream<T extends Float32Array | Uint8Array> {
  readonly width: number;
  readonly height: number;
  /** The output's nodata (see {@link TerrainProduct.nodata}). */
  readonly nodata: number | undefined;
  readonly #layoutNodata: number | undefined;
  readonly #algorithm: TerrainAlgorithm;
  readonly #computeEdges: boolean;
  readonly #float64: boolean;
  readonly #product: TerrainProduct<T>;
  readonly #rows: Row[];
  readonly #scratch;
  #setup: GradientSetup | undefined;
  #received = 0;
  #ended = false;
  readonly #what: string;

  constructor(
    layout: TerrainLayout,
    algorithm: TerrainAlgorithm,
    computeEdges: boolean,
    product: TerrainProduct<T>,
    what: string,
    float64 = false,
  ) {
    checkLayout(layout, what);
    this.#float64 = float64;
    this.width = layout.width;
    this.height = layout.height;
    this.nodata = product.nodata;
    this.#layoutNodata = layout.nodata;
    this.#algorithm = algorithm;
    this.#computeEdges = computeEdges;
    this.#product = product;
    this.#what = what;
    this.#rows = [newRow(this.width), newRow(this.width), newRow(this.width)];
    this.#scratch = newScratch(this.width);
  }

  /** Rows received so far. */
  get rowsIn(): number {
    return this.#received;
  }

  /**
   * Feeds the next whole rows (`chunk.length` a multiple of the width) and returns the output rows
   * they complete: every row up to the one above the last row fed. The chunk's array type decides
   * gdaldem's sample path (see `terrain/source`); every chunk must be of the same kind.
   */
  push(chunk: ArrayLike<number>): T {
    const rows = this.#checkChunk(chunk);
    const done = Math.min(this.#received + rows, this.height) - Math.max(this.#received, 1);
    const out = this.#product.allocate(Math.max(0, done) * this.width);
    this.pushInto(chunk, out, 0);
    return out;
  }

  /** Ends the input (every row must have been fed) and returns the last output row. */
  end(): T {
    const out = this.#product.allocate(this.height > 0 && !this.#ended ? this.width : 0);
    this.endInto(out, 0);
    return out;
  }

  /** The derivative of a whole band in memory (`width × height` values), as one array. */
  whole(values: ArrayLike<number>): T {
    if (values.length !== this.width * this.height) {
      throw new RangeError(
        `${this.#what}: values.length ${values.length} ≠ width × height ${this.width * this.height}`,
      );
    }
    const out = this.#product.allocate(values.length);
    const written = this.pushInto(values, out, 0);
    this.endInto(out, written * this.width);
    return out;
  }

  /** As {@link push}, writing the completed rows into `out` from `offset`; returns how many. */
  pushInto(chunk: ArrayLike<number>, out: T, offset: number): number {
    const rows = this.#checkChunk(chunk);
    const w = this.width;
    let written = 0;
    for (let k = 0; k < rows; k++) {
      const i = this.#received;
      const row = this.#rows[i % 3]!;
      if (chunk instanceof Float32Array) {
        row.values = chunk.subarray(k * w, (k + 1) * w);
      } else {
        row.values = row.own;
        copyRow(chunk, k * w, row.own);
      }
      prepareRow(row, this.#setup!);
      this.#received = i + 1;
      if (i >= 1) {
        this.#emit(i - 1, out, offset + written * w);
        written++;
      }
    }
    // The last two rows are needed after this chunk, which the caller may reuse: keep copies.
    for (const row of this.#rows) {
      if (row.values !== row.own) {
        row.own.set(row.values);
        row.values = row.own;
      }
    }
    return written;
  }

  /** As {@link end}, writing the last row into `out` at `offset`; returns how many rows (0 or 1). */
  endInto(out: T, offset: number): number {
    if (this.#ended) throw new Error(`${this.#what}: the stream has already ended`);
    if (this.#received !== this.height) {
      throw new RangeError(`${this.#what}: ended after ${this.#received} rows of ${this.height}`);
    }
    this.#ended = true;
    if (this.height === 0) return 0;
    this.#emit(this.height - 1, out, offset);
    return 1;
  }

  #emit(r: number, out: T, offset: number): void {
    const rows = this.#rows;
    const above = r >= 1 ? rows[(r - 1) % 3] : undefined;
    const below = r + 1 < this.height ? rows[(r + 1) % 3] : undefined;
    rowGradients(this.#setup!, above, rows[r % 3]!, below, this.#scratch);
    this.#product.writeRow(this.#scratch, r, out, offset);
  }

  #checkChunk(chunk: ArrayLike<number>): number {
    if (this.#ended) throw new Error(`${this.#what}: the stream has already ended`);
    const w = this.width;
    const rows = w === 0 ? 0 : chunk.length / w;
    if (!Number.isInteger(rows) || (w === 0 && chunk.length !== 0)) {
      throw new RangeError(
        `${this.#what}: a chunk must hold whole rows of ${w} cells, got ${chunk.length} values`,
      );
    }
    if (this.#received + rows > this.height) {
      throw new RangeError(
        `${this.#what}: ${this.#received + rows} rows fed to a raster of ${this.height}`,
      );
    }
    if (this.#setup === undefined) {
      this.#setup = this.#setupFor(chunk);
    } else if (rows > 0 && samplePathOf(chunk) !== this.#setup.rule.path) {
      throw new TypeError(
        `${this.#what}: every chunk must be of the same kind (Uint8/Int16/Uint16 arrays are read as integers, others as float32)`,
      );
    }
    return rows;
  }

  #setupFor(chunk: ArrayLike<number>): GradientSetup {
    return {
      algorithm: this.#algorithm,
      computeEdges: this.#computeEdges,
      float64: this.#float64,
      rule: nodataRule(chunk, this.#layoutNodata),
    };
  }
}

/** `values[from…]` into `row`, converted to float32. */
function copyRow(values: ArrayLike<number>, from: number, row: Float32Array): void {
  if (isElevationArray(values)) {
    row.set(values.subarray(from, from + row.length));
  } else {
    for (let j = 0; j < row.length; j++) row[j] = values[from + j]!;
  }
}

/**
 * Feeds `strips` (each any number of whole rows) through `stream`, yielding each output strip as
 * it completes and the last row at the end: a derivative of a raster read strip by strip.
 */
export function* streamRows<T extends Float32Array | Uint8Array>(
  stream: TerrainStream<T>,
  strips: Iterable<ArrayLike<number>>,
): Generator<T, void, undefined> {
  for (const strip of strips) {
    const out = stream.push(strip);
    if (out.length > 0) yield out;
  }
  const last = stream.end();
  if (last.length > 0) yield last;
}
