/**
 * @module lstm/workspace
 * One kernel instance and the layout of its memory for up to `capacity` samples of one shape:
 * where the parameters, the inputs (time-major), the saved activations and the gradients
 * live. The memory grows once, in the constructor, so the views stay valid.
 */
import { instantiateKernel, type KernelExports, type KernelModule } from './kernel.js';
import { parameterCount } from './weights.js';

export interface Shape {
  readonly steps: number;
  readonly features: number;
  readonly hidden: number;
}

const PAGE = 65_536;

interface Layout {
  params: number;
  grads: number;
  x: number;
  gates: number;
  hprev: number;
  cells: number;
  tcells: number;
  hlast: number;
  mask: number;
  out: number;
  dout: number;
  scratch: number;
  end: number;
}

function layout(base: number, shape: Shape, capacity: number): Layout {
  const { steps, features, hidden } = shape;
  const sizes: Omit<Layout, 'end'> = {
    params: parameterCount(features, hidden),
    grads: parameterCount(features, hidden),
    x: steps * capacity * features,
    gates: steps * capacity * 4 * hidden,
    hprev: steps * capacity * hidden,
    cells: steps * capacity * hidden,
    tcells: steps * capacity * hidden,
    hlast: capacity * hidden,
    mask: capacity * hidden,
    out: capacity,
    dout: capacity,
    scratch: 4 * hidden * hidden + 2 * capacity * hidden,
  };
  let at = Math.ceil(base / 16) * 16;
  const offsets = {} as Layout;
  for (const [name, floats] of Object.entries(sizes) as [keyof typeof sizes, number][]) {
    offsets[name] = at;
    at += Math.ceil((floats * 4) / 16) * 16;
  }
  offsets.end = at;
  return offsets;
}

export class Workspace {
  readonly shape: Shape;
  readonly capacity: number;
  private readonly kernel: KernelExports;
  private readonly at: Layout;
  private readonly f32: Float32Array;
  private masked = false;

  constructor(module: KernelModule, shape: Shape, capacity: number) {
    this.shape = shape;
    this.capacity = capacity;
    this.kernel = instantiateKernel(module);
    this.at = layout(this.kernel.heapBase(), shape, capacity);
    const { memory } = this.kernel;
    const missing = this.at.end - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / PAGE));
    this.f32 = new Float32Array(memory.buffer);
  }

  private view(name: keyof Layout, floats: number): Float32Array {
    const start = this.at[name] / 4;
    return this.f32.subarray(start, start + floats);
  }

  setParams(values: Float32Array): void {
    this.f32.set(values, this.at.params / 4);
  }

  /** Copies samples `indices` of a row-major [count, T, F] array in, time-major [T, n, F]. */
  loadInputs(x: Float32Array, indices: ArrayLike<number>): void {
    const { steps, features } = this.shape;
    const n = indices.length;
    const f32 = this.f32;
    const base = this.at.x / 4;
    for (let b = 0; b < n; b++) {
      let src = indices[b]! * steps * features;
      let dst = base + b * features;
      for (let t = 0; t < steps; t++) {
        for (let f = 0; f < features; f++) f32[dst + f] = x[src + f]!;
        src += features;
        dst += n * features;
      }
    }
  }

  /** Runs `n` loaded samples forward; `mask` ([n, H] multipliers) is dropout, null for none. */
  forward(n: number, mask: Float32Array | null): Float32Array {
    this.check(n);
    const { steps, features, hidden } = this.shape;
    const at = this.at;
    if (mask !== null) this.f32.set(mask.subarray(0, n * hidden), at.mask / 4);
    this.masked = mask !== null;
    this.kernel.forward(
      n,
      steps,
      features,
      hidden,
      at.params,
      at.x,
      at.gates,
      at.hprev,
      at.cells,
      at.tcells,
      at.hlast,
      this.masked ? at.mask : 0,
      at.out,
    );
    return this.view('out', n);
  }

  /**
   * After {@link forward} on the same `n` samples, the gradient of every parameter given
   * ∂L/∂out; the returned view is overwritten by the next call.
   */
  backward(n: number, dout: ArrayLike<number>): Float32Array {
    this.check(n);
    const { steps, features, hidden } = this.shape;
    const at = this.at;
    this.view('dout', n).set(dout);
    this.kernel.backward(
      n,
      steps,
      features,
      hidden,
      at.params,
      at.x,
      at.gates,
      at.hprev,
      at.cells,
      at.tcells,
      at.hlast,
      this.masked ? at.mask : 0,
      at.dout,
      at.grads,
      at.scratch,
    );
    return this.view('grads', parameterCount(features, hidden));
  }

  private check(n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > this.capacity) {
      throw new RangeError(`${n} samples for a workspace of ${this.capacity}`);
    }
  }
}
