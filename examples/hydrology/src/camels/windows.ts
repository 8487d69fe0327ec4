/**
 * `camels/training_windows`: sequence-to-one samples per variant (270 days of forcings →
 * same-day discharge, date-split, normalised with training statistics only).
 */
import { allPartitionsMapping, asset, many } from 'weir';
import { DEFAULT_ATTRIBUTES } from '../data/camels.js';
import { buildSampleSet } from '../data/windows.js';
import { faultedBasin, faultedPolishedBasin, polishedBasin } from './basins.js';
import { asVariant, basinsOf, variants } from './variants.js';
import { encodeWindows } from './windows-codec.js';

const everyBasin = allPartitionsMapping();

export const trainingWindows = asset({
  key: 'camels/training_windows',
  group: 'camels',
  kinds: ['tensor'],
  description: 'Training, validation and test windows of the four basins, per model variant',
  partitions: variants,
  io: 'bytes',
  ins: {
    polished: many(polishedBasin, everyBasin),
    faulted: many(faultedBasin, everyBasin),
    faultedPolished: many(faultedPolishedBasin, everyBasin),
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
