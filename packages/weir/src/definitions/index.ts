/**
 * @module definitions
 * What users write: assets, source assets, resources, automation (sensors, schedules,
 * conditions) and the project that gathers them.
 */

export { cronTicks, latestCronTick } from './_cron.js';
export * from './app.js';
export * from './asset.js';
export * from './check.js';
export * from './conditions/index.js';
export * from './context.js';
export * from './derived-code.js';
export * from './external-asset.js';
export * from './folder-sensor.js';
export * from './freshness.js';
export * from './input.js';
export * from './instance-settings.js';
export type { Jsonified, JsonStorable, NotStorableAsJson } from './jsonified.js';
export * from './keys.js';
export * from './located.js';
export * from './metadata.js';
export * from './notification.js';
export * from './option-keys.js';
export * from './partitions/index.js';
export * from './project.js';
export * from './resource.js';
export * from './retry.js';
export * from './schedule.js';
export * from './selector.js';
export * from './sensor.js';
export * from './source-asset.js';
