/**
 * The model variants, one partition each of the windows, the model and its forecasts:
 *
 * - `polished`: the real record, polished (the model this example exists for);
 * - `autoregressive`: the same, with yesterday's discharge as an input;
 * - `faulted_raw`: the SYNTHETIC faulted copy used as is, every value trusted;
 * - `faulted_polished`: the SYNTHETIC faulted copy, polished first.
 */
import { staticPartitions } from 'weir';
import type { CamelsBasin } from '../data/camels.js';
import { type BasinRecord, decodeBasin } from './basins.js';

export const VARIANTS = ['polished', 'autoregressive', 'faulted_raw', 'faulted_polished'] as const;
export type Variant = (typeof VARIANTS)[number];
export const variants = staticPartitions([...VARIANTS]);

export interface BasinSources {
  readonly polished: ReadonlyMap<string, Uint8Array>;
  readonly faulted: ReadonlyMap<string, Uint8Array>;
  readonly faultedPolished: ReadonlyMap<string, Uint8Array>;
}

/** The basins a variant trains on, in basin order. */
export function basinsOf(variant: Variant, sources: BasinSources): CamelsBasin[] {
  const pick =
    variant === 'faulted_raw'
      ? sources.faulted
      : variant === 'faulted_polished'
        ? sources.faultedPolished
        : sources.polished;
  return [...pick.values()].map((bytes) => (decodeBasin(bytes) as BasinRecord).basin);
}

export function asVariant(key: string): Variant {
  if (!(VARIANTS as readonly string[]).includes(key)) throw new Error(`unknown variant ${key}`);
  return key as Variant;
}
