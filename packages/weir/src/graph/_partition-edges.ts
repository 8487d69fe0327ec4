/**
 * Definition-time checks of the edges that touch partitions: the mapping connects the two
 * assets' partitions, and an input typed as one value reads one partition.
 */
import {
  type AnyAssetDefinition,
  type PartitionSpace,
  resolvePartitionSpace,
} from '../definitions/index.js';
import { DefinitionError } from '../errors.js';
import { defaultMapping } from './partition-mapping/index.js';

/** Every problem with the partition mappings of `definitions`' edges, one line each. */
export function edgeProblems(definitions: ReadonlyMap<string, AnyAssetDefinition>): string[] {
  const problems: string[] = [];
  // Shapes only: time windows as of now, dynamic sets empty.
  const context = { now: Date.now(), dynamicKeys: () => [] };
  const spaceOf = (definition: AnyAssetDefinition): PartitionSpace =>
    resolvePartitionSpace(definition.partitions, context);
  for (const definition of definitions.values()) {
    if (definition.kind !== 'asset' || !touchesPartitions(definition, definitions)) continue;
    const edges: Array<{ name: string | undefined; parent: string }> = [];
    for (const name in definition.ins) edges.push({ name, parent: definition.ins[name]!.key });
    for (const parent of definition.deps) edges.push({ name: undefined, parent });
    let down: PartitionSpace | undefined;
    for (const { name, parent } of edges) {
      const upstream = definitions.get(parent);
      // An edge between unpartitioned assets has nothing to check (nearly every edge).
      if (upstream === undefined || (upstream.partitions ?? definition.partitions) === undefined)
        continue;
      down ??= spaceOf(definition);
      const up = spaceOf(upstream);
      if (up.definition === undefined && down.definition === undefined) continue;
      const mode = name === undefined ? undefined : definition.inputModes[name];
      const what = name === undefined ? `dependency '${parent}'` : `input '${name}' ('${parent}')`;
      try {
        const mapping = mode?.mapping ?? defaultMapping(up, down);
        const problem = mapping.validate(up, down);
        if (problem !== undefined) {
          problems.push(`asset '${definition.key}' ${what}: ${problem}`);
        } else if (mode !== undefined && !mode.many && !mapping.readsOne(up, down)) {
          problems.push(
            `asset '${definition.key}' input '${name}' reads several partitions of '${parent}' (${mapping.description}) but is typed as one value: declare it as many(${safeName(parent)}${mode.mapping === undefined ? '' : ', mapping'}) to receive a map from partition key to value`,
          );
        }
      } catch (error) {
        if (!(error instanceof DefinitionError)) throw error;
        problems.push(`asset '${definition.key}' ${what}: ${error.message}`);
      }
    }
  }
  return problems;
}

/**
 * Whether the asset or one of its upstream is partitioned: else no edge has anything to check
 * (nearly every asset, so this allocates nothing).
 */
function touchesPartitions(
  definition: Extract<AnyAssetDefinition, { kind: 'asset' }>,
  definitions: ReadonlyMap<string, AnyAssetDefinition>,
): boolean {
  if (definition.partitions !== undefined) return true;
  for (const name in definition.ins) {
    if (definitions.get(definition.ins[name]!.key)?.partitions !== undefined) return true;
  }
  for (const dep of definition.deps) {
    if (definitions.get(dep)?.partitions !== undefined) return true;
  }
  return false;
}

function safeName(key: string): string {
  const last = key.split('/').pop() ?? key;
  return /^[A-Za-z_$][\w$]*$/.test(last) ? last : 'upstream';
}
