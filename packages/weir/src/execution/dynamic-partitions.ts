/**
 * @module execution/dynamic-partitions
 * Adding and removing the keys of dynamic partitions from outside a run (a CLI command, a
 * sensor, a script); steps use `ctx.dynamicPartitions`. Either way it is an event.
 */
import { dynamicNameProblem, partitionKeyProblem } from '../definitions/index.js';
import { EnvironmentError } from '../errors.js';
import type { Instance } from './instance.js';

/** Adds keys to the dynamic partitions `name`; keys it has already keep their place. */
export async function addDynamicPartitions(
  instance: Instance,
  name: string,
  keys: readonly string[],
): Promise<string[]> {
  return change(instance, 'partitions:added', name, keys);
}

/** Removes keys from the dynamic partitions `name`; their history stays in the log. */
export async function removeDynamicPartitions(
  instance: Instance,
  name: string,
  keys: readonly string[],
): Promise<string[]> {
  return change(instance, 'partitions:removed', name, keys);
}

async function change(
  instance: Instance,
  type: 'partitions:added' | 'partitions:removed',
  name: string,
  keys: readonly string[],
): Promise<string[]> {
  const nameProblem = dynamicNameProblem(name);
  if (nameProblem !== undefined) throw new EnvironmentError('E_USAGE', `invalid ${nameProblem}`);
  if (keys.length === 0) throw new EnvironmentError('E_USAGE', 'give at least one partition key');
  for (const key of keys) {
    const problem = partitionKeyProblem(key);
    if (problem !== undefined) throw new EnvironmentError('E_USAGE', problem);
  }
  await instance.eventLog.append([{ type, name, keys: [...keys], timestamp: Date.now() }]);
  return instance.eventLog.dynamicPartitions(name);
}
