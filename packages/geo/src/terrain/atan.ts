/**
 * @module terrain/atan
 * `atan` and `atan2` as fdlibm computes them (the code V8's `Math.atan` and `Math.atan2` run),
 * in JavaScript so the compiler inlines them into the per-cell loops: V8 calls out to C++ for the
 * Math functions, which costs more than the arithmetic in a slope loop. Bit-identical to
 * `Math.atan` / `Math.atan2` for every input (the tests check millions of arguments and the
 * special values).
 */

const ATAN_HI = [
  0.4636476090008061, 0.7853981633974483, 0.982793723247329, 1.5707963267948966,
] as const;
const ATAN_LO = [
  2.2698777452961687e-17, 3.061616997868383e-17, 1.3903311031230998e-17, 6.123233995736766e-17,
] as const;
const T0 = 0.3333333333333293;
const T1 = -0.19999999999876483;
const T2 = 0.14285714272503466;
const T3 = -0.11111110405462356;
const T4 = 0.09090887133436507;
const T5 = -0.0769187620504483;
const T6 = 0.06661073137387531;
const T7 = -0.058335701337905735;
const T8 = 0.049768779946159324;
const T9 = -0.036531572744216916;
const T10 = 0.016285820115365782;
const PI = Math.PI;
const PI_LO = 1.2246467991473532e-16;

/** fdlibm's atan (= V8's `Math.atan`). */
export function atan(v: number): number {
  const negative = v < 0;
  let x = negative ? -v : v;
  if (!(x < 2 ** 66)) {
    // |v| ≥ 2^66, or NaN.
    if (Number.isNaN(x)) return v;
    const r = ATAN_HI[3] + ATAN_LO[3];
    return negative ? -r : r;
  }
  let id = -1;
  if (x < 0.4375) {
    if (x < 2 ** -27) return v;
  } else if (x < 1.1875) {
    if (x < 0.6875) {
      id = 0;
      x = (2 * x - 1) / (2 + x);
    } else {
      id = 1;
      x = (x - 1) / (x + 1);
    }
  } else if (x < 2.4375) {
    id = 2;
    x = (x - 1.5) / (1 + 1.5 * x);
  } else {
    id = 3;
    x = -1 / x;
  }
  const z = x * x;
  const w = z * z;
  const s1 = z * (T0 + w * (T2 + w * (T4 + w * (T6 + w * (T8 + w * T10)))));
  const s2 = w * (T1 + w * (T3 + w * (T5 + w * (T7 + w * T9))));
  if (id < 0) {
    const r = x - x * (s1 + s2);
    return negative ? -r : r;
  }
  const r = ATAN_HI[id]! - (x * (s1 + s2) - ATAN_LO[id]! - x);
  return negative ? -r : r;
}

/** fdlibm's atan2 (= V8's `Math.atan2`); the special cases are left to `Math.atan2`. */
export function atan2(y: number, x: number): number {
  const ratio = Math.abs(y / x);
  // Zeros, infinities, NaN, x = 1 and exponents more than ~60 apart take fdlibm's special cases.
  if (!(ratio <= 2 ** 58 && ratio >= 2 ** -58) || x === 1) return Math.atan2(y, x);
  const z = atan(ratio);
  if (x > 0) return y > 0 ? z : -z;
  return y > 0 ? PI - (z - PI_LO) : z - PI_LO - PI;
}
