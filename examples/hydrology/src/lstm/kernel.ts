/**
 * @module lstm/kernel
 * The AssemblyScript kernel (assembly/lstm.ts, compiled to dist/lstm.wasm): compiled once per
 * thread, instantiated per workspace. The module can be posted to worker threads, which then
 * instantiate it without reading the file.
 */
import { readFileSync } from 'node:fs';
import { builtFile } from './built-files.js';

// The project's lib has no DOM, hence no WebAssembly types: the parts used here.
declare const moduleBrand: unique symbol;
/** A compiled kernel; structured-cloneable, so it can be posted to a worker thread. */
export type KernelModule = { readonly [moduleBrand]: true };
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => KernelModule;
  Instance: new (
    module: KernelModule,
    imports: Record<string, never>,
  ) => { readonly exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** The kernel's exports; pointers are byte offsets into `memory`. */
export interface KernelExports {
  readonly memory: WasmMemory;
  heapBase(): number;
  forward(
    batch: number,
    steps: number,
    features: number,
    hidden: number,
    params: number,
    x: number,
    gates: number,
    hprev: number,
    cells: number,
    tcells: number,
    hlast: number,
    mask: number,
    out: number,
  ): void;
  backward(
    batch: number,
    steps: number,
    features: number,
    hidden: number,
    params: number,
    x: number,
    gates: number,
    hprev: number,
    cells: number,
    tcells: number,
    hlast: number,
    mask: number,
    dout: number,
    grads: number,
    scratch: number,
  ): void;
  /** C[m,n] = (accumulate ? C : 0) + bias + A[m,k]·B[k,n]; n a multiple of 8. */
  matmulNN(
    m: number,
    n: number,
    k: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    bias: number,
    accumulate: number,
  ): void;
}

const EXPORTS = ['memory', 'heapBase', 'forward', 'backward', 'matmulNN'] as const;

let compiled: KernelModule | undefined;

/** The compiled kernel (cached); synchronous, as Node allows for modules of any size. */
export function kernelModule(): KernelModule {
  if (compiled === undefined) {
    const file = builtFile('lstm.wasm');
    try {
      compiled = new wasm.Module(readFileSync(file));
    } catch (error) {
      throw new Error(
        `${file} does not compile (${String(error)}): run npm run build -w @weir/example-hydrology`,
      );
    }
  }
  return compiled;
}

export function instantiateKernel(module: KernelModule = kernelModule()): KernelExports {
  const { exports } = new wasm.Instance(module, {});
  for (const name of EXPORTS) {
    if (!(name in exports)) {
      throw new Error(
        `the LSTM kernel lacks '${name}': run npm run build -w @weir/example-hydrology`,
      );
    }
  }
  return exports as unknown as KernelExports;
}
