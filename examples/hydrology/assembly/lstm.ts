// The kernel's entry points: one call runs a batch forward over every step, one call runs
// backpropagation through time and writes the gradient of every weight. The caller (TS,
// src/lstm/kernel.ts) owns the memory layout and passes byte offsets.
//
// Layouts, all f32 row-major:
//   params / grads  kernel [F, 4H] | recurrentKernel [H, 4H] | bias [4H] | head [H] | headBias
//                   (gate blocks i, f, c, o as tfjs-layers' LSTM)
//   x               [T, B, F]  time-major, so each step's rows are contiguous
//   gates           [T, B, 4H] pre-activations, then activations, then (backward) ∂L/∂z
//   hprev           [T, B, H]  hprev[t] = h₍ₜ₋₁₎ (hprev[0] = 0)
//   cells, tcells   [T, B, H]  cₜ and tanh(cₜ)
//   hlast           [B, H]     h at the last step, before dropout
//   mask            [B, H]     dropout multipliers (0 or 1/(1−p)), or 0 for none
//   scratch         [4H, H] (recurrentKernelᵀ) | dh [B, H] | dc [B, H]

import { cellBackward, cellForward } from './cell';
import { matmulNN, matmulTN } from './matmul';

export { matmulNN, matmulTN };

/** First free byte after the module's static data: the caller's buffers start here. */
export function heapBase(): usize {
  return __heap_base;
}

/** Writes the batch's outputs (`out`, B floats) and keeps what `backward` needs. */
export function forward(
  batch: i32,
  steps: i32,
  features: i32,
  hidden: i32,
  params: usize,
  x: usize,
  gates: usize,
  hprev: usize,
  cells: usize,
  tcells: usize,
  hlast: usize,
  mask: usize,
  out: usize,
): void {
  const g4 = hidden << 2;
  const kernel = params;
  const recurrent = kernel + ((<usize>features * g4) << 2);
  const bias = recurrent + ((<usize>hidden * g4) << 2);
  const head = bias + ((<usize>g4) << 2);
  const stepGates = (<usize>batch * g4) << 2;
  const stepHidden = (<usize>batch * hidden) << 2;
  // The input projection of every step at once: one large product instead of T small ones.
  matmulNN(batch * steps, g4, features, x, features, kernel, g4, gates, g4, bias, false);
  memory.fill(hprev, 0, stepHidden);
  for (let t = 0; t < steps; t++) {
    const z = gates + <usize>t * stepGates;
    const h = hprev + <usize>t * stepHidden;
    if (t > 0) matmulNN(batch, g4, hidden, h, hidden, recurrent, g4, z, g4, 0, true);
    const next = t + 1 < steps ? h + stepHidden : hlast;
    const at = <usize>t * stepHidden;
    cellForward(
      batch,
      hidden,
      z,
      t > 0 ? cells + at - stepHidden : 0,
      cells + at,
      tcells + at,
      next,
    );
  }
  headForward(batch, hidden, hlast, mask, head, out);
}

function headForward(
  batch: i32,
  hidden: i32,
  h: usize,
  mask: usize,
  head: usize,
  out: usize,
): void {
  const headBias = load<f32>(head + ((<usize>hidden) << 2));
  for (let b = 0; b < batch; b++) {
    const row = (<usize>b * hidden) << 2;
    let sum: f32 = 0;
    for (let j = 0; j < hidden; j++) {
      const at = row + ((<usize>j) << 2);
      const v = mask ? load<f32>(h + at) * load<f32>(mask + at) : load<f32>(h + at);
      sum += v * load<f32>(head + ((<usize>j) << 2));
    }
    store<f32>(out + ((<usize>b) << 2), sum + headBias);
  }
}

/**
 * From ∂L/∂out (`dout`, B floats) after `forward` on the same buffers, writes the gradient of
 * every parameter into `grads` (overwritten). Destroys `gates`.
 */
export function backward(
  batch: i32,
  steps: i32,
  features: i32,
  hidden: i32,
  params: usize,
  x: usize,
  gates: usize,
  hprev: usize,
  cells: usize,
  tcells: usize,
  hlast: usize,
  mask: usize,
  dout: usize,
  grads: usize,
  scratch: usize,
): void {
  const g4 = hidden << 2;
  const kernelBytes = (<usize>features * g4) << 2;
  const recurrentBytes = (<usize>hidden * g4) << 2;
  const recurrent = params + kernelBytes;
  const head = recurrent + recurrentBytes + ((<usize>g4) << 2);
  const gKernel = grads;
  const gRecurrent = gKernel + kernelBytes;
  const gBias = gRecurrent + recurrentBytes;
  const gHead = gBias + ((<usize>g4) << 2);
  const stepGates = (<usize>batch * g4) << 2;
  const stepHidden = (<usize>batch * hidden) << 2;
  const recurrentT = scratch;
  const dh = recurrentT + recurrentBytes;
  const dc = dh + stepHidden;

  memory.fill(grads, 0, gHead + ((<usize>hidden + 1) << 2) - grads);
  headBackward(batch, hidden, hlast, mask, head, dout, gHead, dh);
  memory.fill(dc, 0, stepHidden);
  transpose(hidden, g4, recurrent, recurrentT);
  for (let t = steps - 1; t >= 0; t--) {
    const a = gates + <usize>t * stepGates;
    const at = <usize>t * stepHidden;
    cellBackward(batch, hidden, a, t > 0 ? cells + at - stepHidden : 0, tcells + at, dh, dc);
    if (t > 0) matmulNN(batch, hidden, g4, a, g4, recurrentT, hidden, dh, hidden, 0, false);
  }
  // hprev[0] is zero: the recurrent kernel's gradient sums from step 1.
  const later = batch * (steps - 1);
  matmulTN(hidden, g4, later, hprev + stepHidden, hidden, gates + stepGates, g4, gRecurrent, g4);
  matmulTN(features, g4, batch * steps, x, features, gates, g4, gKernel, g4);
  columnSums(batch * steps, g4, gates, gBias);
}

/** Head gradients, and ∂L/∂h at the last step (through the dropout mask) into `dh`. */
function headBackward(
  batch: i32,
  hidden: i32,
  h: usize,
  mask: usize,
  head: usize,
  dout: usize,
  gHead: usize,
  dh: usize,
): void {
  let gBias: f32 = 0;
  for (let b = 0; b < batch; b++) {
    const d = load<f32>(dout + ((<usize>b) << 2));
    const row = (<usize>b * hidden) << 2;
    gBias += d;
    for (let j = 0; j < hidden; j++) {
      const col = (<usize>j) << 2;
      const m: f32 = mask ? load<f32>(mask + row + col) : 1;
      const g = gHead + col;
      store<f32>(g, load<f32>(g) + d * load<f32>(h + row + col) * m);
      store<f32>(dh + row + col, d * load<f32>(head + col) * m);
    }
  }
  store<f32>(gHead + ((<usize>hidden) << 2), gBias);
}

function transpose(rows: i32, cols: i32, src: usize, dst: usize): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      store<f32>(dst + ((<usize>c * rows + r) << 2), load<f32>(src + ((<usize>r * cols + c) << 2)));
    }
  }
}

/** out[n] = Σᵣ m[r, n], n a multiple of 4. */
function columnSums(rows: i32, n: i32, m: usize, out: usize): void {
  const width = (<usize>n) << 2;
  for (let j: usize = 0; j < width; j += 16) {
    let sum = f32x4.splat(0);
    let p = m + j;
    for (let r = 0; r < rows; r++) {
      sum = f32x4.add(sum, v128.load(p));
      p += width;
    }
    v128.store(out + j, sum);
  }
}
