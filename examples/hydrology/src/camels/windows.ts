/**
 * `camels/training_windows`: sequence-to-one samples per variant (270 days of forcings →
 * same-day discharge, date-split, normalised with training statistics only).
 */
import { asset, many, staticMapping } from 'weir';
import { DEFAULT_ATTRIBUTES } from '../data/camels.js';
import { buildSampleSet } from '../data/windows.js';
import { BASINS, faultedBasin, faultedPolishedBasin, polishedBasin } from './basins.js';
import { asVariant, basinsOf, variants } from './variants.js';
import { encodeWindows } from './windows-codec.js';

/** Each variant reads the four basins of its own kind only (other variants read nothing). */
const basinsFor = (...variants: string[]) =>
  staticMapping(Object.fromEntries(variants.map((v) => [v, [...BASINS]])));

export const trainingWindows = asset({
  key: 'camels/training_windows',
  group: 'camels',
  kinds: ['tensor'],
  description: 'Training, validation and test windows of the four basins, per model variant',
  partitions: variants,
  io: 'bytes',
  ins: {
    polished: many(polishedBasin, basinsFor('polished', 'autoregressive')),
    faulted: many(faultedBasin, basinsFor('faulted_raw')),
    faultedPolished: many(faultedPolishedBasin, basinsFor('faulted_polished')),
  },
  materialize: (ctx, sources) => {
    const variant = asVariant(ctx.partition.key);
    const set = buildSampleSet(basinsOf(variant, sources), {
      attributes: DEFAULT_ATTRIBUTES,
      autoregressive: variant === 'autoregressive',
    });
    ctx.addMetadata({
      features: set.featureNames.length,
      'samples.train': set.train.count,
      'samples.validation': set.validation.count,
      'samples.test': set.test.count,
      'dropped.train': set.counts.train.reduce((n, c) => n + c.dropped, 0),
      'masked_targets.train': set.counts.train.reduce((n, c) => n + c.maskedTargets, 0),
      ...(variant.startsWith('faulted') ? { synthetic: true } : {}),
    });
    return encodeWindows(set);
  },
});
