/**
 * @module _quantity
 * CPU and memory quantities in Kubernetes notation: compared, scaled by a step's slots and
 * written back in the shortest exact form.
 */

import { cpuCores, memoryBytes } from 'weir';

export type QuantityKind = 'cpu' | 'memory';

export function amountOf(kind: QuantityKind, text: string): number {
  const amount = kind === 'cpu' ? cpuCores(text) : memoryBytes(text);
  if (amount === undefined) throw new TypeError(`not a ${kind} quantity: ${text}`);
  return amount;
}

/** `text` times `factor`: CPU in whole cores or millicores (rounded up), memory in the largest exact binary unit. */
export function scaled(kind: QuantityKind, text: string, factor: number): string {
  if (factor === 1) return text;
  const amount = amountOf(kind, text) * factor;
  if (kind === 'cpu') {
    const millicores = Math.ceil(Math.round(amount * 1e6) / 1e3);
    return millicores % 1000 === 0 ? String(millicores / 1000) : `${millicores}m`;
  }
  const bytes = Math.ceil(amount);
  for (const [suffix, size] of [
    ['Ti', 2 ** 40],
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const) {
    if (bytes % size === 0) return `${bytes / size}${suffix}`;
  }
  return String(bytes);
}

/** The larger of two quantities (either may be missing). */
export function larger(
  kind: QuantityKind,
  a: string | undefined,
  b: string | undefined,
): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return amountOf(kind, b) > amountOf(kind, a) ? b : a;
}
