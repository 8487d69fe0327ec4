// Single-precision matrix products on WASM SIMD, row-major, strides in elements. Tiles of
// 4 rows × 8 columns keep 8 accumulators, 2 row vectors of B and a splat in the 16 vector
// registers V8 uses on x64; `n` must be a multiple of 8.

/** Rows of A per block: the block's rows stay in cache while every column strip passes. */
const ROW_BLOCK: i32 = 64;
/** Rows of the reduction per block in the transposed product (a slice of A and B in L1/L2). */
const REDUCE_BLOCK: i32 = 64;

/** C[m,n] = (accumulate ? C : 0) + (bias ? bias[n] : 0) + A[m,k] · B[k,n]. */
export function matmulNN(
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  bias: usize,
  accumulate: bool,
): void {
  const sa = (<usize>lda) << 2;
  const sb = (<usize>ldb) << 2;
  const sc = (<usize>ldc) << 2;
  for (let i0 = 0; i0 < m; i0 += ROW_BLOCK) {
    const i1 = min(i0 + ROW_BLOCK, m);
    for (let j = 0; j < n; j += 8) {
      const bj = b + ((<usize>j) << 2);
      const cj = c + ((<usize>j) << 2);
      const biasj = bias ? bias + ((<usize>j) << 2) : 0;
      let i = i0;
      for (; i + 4 <= i1; i += 4) {
        tileNN4(k, a + <usize>i * sa, sa, bj, sb, cj + <usize>i * sc, sc, biasj, accumulate);
      }
      for (; i < i1; i++) {
        tileNN1(k, a + <usize>i * sa, bj, sb, cj + <usize>i * sc, biasj, accumulate);
      }
    }
  }
}

function tileNN4(
  k: i32,
  a: usize,
  sa: usize,
  b: usize,
  sb: usize,
  c: usize,
  sc: usize,
  bias: usize,
  accumulate: bool,
): void {
  let c00 = f32x4.splat(0);
  let c01 = c00;
  if (bias) {
    c00 = v128.load(bias);
    c01 = v128.load(bias, 16);
  }
  let c10 = c00;
  let c11 = c01;
  let c20 = c00;
  let c21 = c01;
  let c30 = c00;
  let c31 = c01;
  let a0 = a;
  const a1 = sa;
  const a2 = sa << 1;
  const a3 = a1 + a2;
  for (let p = 0; p < k; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let x = v128.load32_splat(a0);
    c00 = f32x4.add(c00, f32x4.mul(x, b0));
    c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(a0 + a1);
    c10 = f32x4.add(c10, f32x4.mul(x, b0));
    c11 = f32x4.add(c11, f32x4.mul(x, b1));
    x = v128.load32_splat(a0 + a2);
    c20 = f32x4.add(c20, f32x4.mul(x, b0));
    c21 = f32x4.add(c21, f32x4.mul(x, b1));
    x = v128.load32_splat(a0 + a3);
    c30 = f32x4.add(c30, f32x4.mul(x, b0));
    c31 = f32x4.add(c31, f32x4.mul(x, b1));
    a0 += 4;
    b += sb;
  }
  const r1 = c + sc;
  const r2 = r1 + sc;
  const r3 = r2 + sc;
  if (accumulate) {
    c00 = f32x4.add(c00, v128.load(c));
    c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(r1));
    c11 = f32x4.add(c11, v128.load(r1, 16));
    c20 = f32x4.add(c20, v128.load(r2));
    c21 = f32x4.add(c21, v128.load(r2, 16));
    c30 = f32x4.add(c30, v128.load(r3));
    c31 = f32x4.add(c31, v128.load(r3, 16));
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(r1, c10);
  v128.store(r1, c11, 16);
  v128.store(r2, c20);
  v128.store(r2, c21, 16);
  v128.store(r3, c30);
  v128.store(r3, c31, 16);
}

function tileNN1(
  k: i32,
  a: usize,
  b: usize,
  sb: usize,
  c: usize,
  bias: usize,
  accumulate: bool,
): void {
  let c0 = f32x4.splat(0);
  let c1 = c0;
  if (bias) {
    c0 = v128.load(bias);
    c1 = v128.load(bias, 16);
  }
  for (let p = 0; p < k; p++) {
    const x = v128.load32_splat(a);
    c0 = f32x4.add(c0, f32x4.mul(x, v128.load(b)));
    c1 = f32x4.add(c1, f32x4.mul(x, v128.load(b, 16)));
    a += 4;
    b += sb;
  }
  if (accumulate) {
    c0 = f32x4.add(c0, v128.load(c));
    c1 = f32x4.add(c1, v128.load(c, 16));
  }
  v128.store(c, c0);
  v128.store(c, c1, 16);
}

/** C[m,n] += A[r,m]ᵀ · B[r,n]: the weight gradients, summed over every step of every sample. */
export function matmulTN(
  m: i32,
  n: i32,
  r: i32,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
): void {
  const sa = (<usize>lda) << 2;
  const sb = (<usize>ldb) << 2;
  const sc = (<usize>ldc) << 2;
  for (let r0 = 0; r0 < r; r0 += REDUCE_BLOCK) {
    const rows = min(REDUCE_BLOCK, r - r0);
    const ar = a + <usize>r0 * sa;
    const br = b + <usize>r0 * sb;
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      for (let j = 0; j < n; j += 8) {
        tileTN4(
          rows,
          ar + ((<usize>i) << 2),
          sa,
          br + ((<usize>j) << 2),
          sb,
          c + <usize>i * sc + ((<usize>j) << 2),
          sc,
        );
      }
    }
    for (; i < m; i++) {
      for (let j = 0; j < n; j += 8) {
        tileTN1(
          rows,
          ar + ((<usize>i) << 2),
          sa,
          br + ((<usize>j) << 2),
          sb,
          c + <usize>i * sc + ((<usize>j) << 2),
        );
      }
    }
  }
}

function tileTN4(rows: i32, a: usize, sa: usize, b: usize, sb: usize, c: usize, sc: usize): void {
  const r1 = c + sc;
  const r2 = r1 + sc;
  const r3 = r2 + sc;
  let c00 = v128.load(c);
  let c01 = v128.load(c, 16);
  let c10 = v128.load(r1);
  let c11 = v128.load(r1, 16);
  let c20 = v128.load(r2);
  let c21 = v128.load(r2, 16);
  let c30 = v128.load(r3);
  let c31 = v128.load(r3, 16);
  for (let p = 0; p < rows; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let x = v128.load32_splat(a);
    c00 = f32x4.add(c00, f32x4.mul(x, b0));
    c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(a, 4);
    c10 = f32x4.add(c10, f32x4.mul(x, b0));
    c11 = f32x4.add(c11, f32x4.mul(x, b1));
    x = v128.load32_splat(a, 8);
    c20 = f32x4.add(c20, f32x4.mul(x, b0));
    c21 = f32x4.add(c21, f32x4.mul(x, b1));
    x = v128.load32_splat(a, 12);
    c30 = f32x4.add(c30, f32x4.mul(x, b0));
    c31 = f32x4.add(c31, f32x4.mul(x, b1));
    a += sa;
    b += sb;
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(r1, c10);
  v128.store(r1, c11, 16);
  v128.store(r2, c20);
  v128.store(r2, c21, 16);
  v128.store(r3, c30);
  v128.store(r3, c31, 16);
}

function tileTN1(rows: i32, a: usize, sa: usize, b: usize, sb: usize, c: usize): void {
  let c0 = v128.load(c);
  let c1 = v128.load(c, 16);
  for (let p = 0; p < rows; p++) {
    const x = v128.load32_splat(a);
    c0 = f32x4.add(c0, f32x4.mul(x, v128.load(b)));
    c1 = f32x4.add(c1, f32x4.mul(x, v128.load(b, 16)));
    a += sa;
    b += sb;
  }
  v128.store(c, c0);
  v128.store(c, c1, 16);
}
