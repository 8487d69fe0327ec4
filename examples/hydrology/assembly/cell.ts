// One time step of the LSTM cell for a batch, four hidden units per iteration. Gate blocks
// are in tfjs' order i, f, c (written g here), o, each `hidden` wide.

import { vsigmoid, vtanh } from './activations';

/**
 * Replaces the pre-activations `z` (batch × 4·hidden) by the gates' activations, and writes
 * the cell state c, tanh(c) and the hidden state h. `cPrev` 0 means c₋₁ = 0.
 */
export function cellForward(
  batch: i32,
  hidden: i32,
  z: usize,
  cPrev: usize,
  c: usize,
  tc: usize,
  h: usize,
): void {
  const gate = (<usize>hidden) << 2;
  const zero = f32x4.splat(0);
  for (let b = 0; b < batch; b++) {
    const zb = z + <usize>b * (gate << 2);
    const hb = (<usize>b * hidden) << 2;
    for (let j: usize = 0; j < gate; j += 16) {
      const zi = zb + j;
      const i = vsigmoid(v128.load(zi));
      const f = vsigmoid(v128.load(zi + gate));
      const g = vtanh(v128.load(zi + 2 * gate));
      const o = vsigmoid(v128.load(zi + 3 * gate));
      const cp = cPrev ? v128.load(cPrev + hb + j) : zero;
      const cn = f32x4.add(f32x4.mul(f, cp), f32x4.mul(i, g));
      const tcn = vtanh(cn);
      v128.store(zi, i);
      v128.store(zi + gate, f);
      v128.store(zi + 2 * gate, g);
      v128.store(zi + 3 * gate, o);
      v128.store(c + hb + j, cn);
      v128.store(tc + hb + j, tcn);
      v128.store(h + hb + j, f32x4.mul(o, tcn));
    }
  }
}

/**
 * Backpropagates one step: from dh (∂L/∂hₜ) and dc (∂L/∂cₜ through cₜ₊₁), replaces the
 * gates' activations `a` by ∂L/∂z (pre-activations) and dc by ∂L/∂cₜ₋₁.
 */
export function cellBackward(
  batch: i32,
  hidden: i32,
  a: usize,
  cPrev: usize,
  tc: usize,
  dh: usize,
  dc: usize,
): void {
  const gate = (<usize>hidden) << 2;
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  for (let b = 0; b < batch; b++) {
    const ab = a + <usize>b * (gate << 2);
    const hb = (<usize>b * hidden) << 2;
    for (let j: usize = 0; j < gate; j += 16) {
      const ai = ab + j;
      const i = v128.load(ai);
      const f = v128.load(ai + gate);
      const g = v128.load(ai + 2 * gate);
      const o = v128.load(ai + 3 * gate);
      const t = v128.load(tc + hb + j);
      const cp = cPrev ? v128.load(cPrev + hb + j) : zero;
      const dhv = v128.load(dh + hb + j);
      const dcv = f32x4.add(
        v128.load(dc + hb + j),
        f32x4.mul(f32x4.mul(dhv, o), f32x4.sub(one, f32x4.mul(t, t))),
      );
      const dzi = f32x4.mul(f32x4.mul(dcv, g), f32x4.mul(i, f32x4.sub(one, i)));
      const dzf = f32x4.mul(f32x4.mul(dcv, cp), f32x4.mul(f, f32x4.sub(one, f)));
      const dzg = f32x4.mul(f32x4.mul(dcv, i), f32x4.sub(one, f32x4.mul(g, g)));
      const dzo = f32x4.mul(f32x4.mul(dhv, t), f32x4.mul(o, f32x4.sub(one, o)));
      v128.store(ai, dzi);
      v128.store(ai + gate, dzf);
      v128.store(ai + 2 * gate, dzg);
      v128.store(ai + 3 * gate, dzo);
      v128.store(dc + hb + j, f32x4.mul(dcv, f));
    }
  }
}
