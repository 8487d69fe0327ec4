/**
 * @module graph/asset-graph
 * The validated asset graph: keys, edges, topological order and partition mappings, built once
 * from a project's definitions.
 */
import type {
  AnyAssetDefinition,
  PartitionMapping,
  PartitionSpace,
  PartitionsDefinition,
  ProjectDefinition,
  ResourceDefinition,
} from '../definitions/index.js';
import { isUpstream, keyProblem } from '../definitions/index.js';
import { DefinitionError, didYouMean } from '../errors.js';
import { automationProblems } from './_automation-problems.js';
import { findCycle } from './_cycle.js';
import { StringHeap } from './_heap.js';
import { edgeProblems } from './_partition-edges.js';
import { defaultMapping } from './partition-mapping/index.js';

/** One asset or source asset in the graph, wired by keys (never by object references). */
export interface AssetNode {
  readonly key: string;
  readonly kind: 'asset' | 'source';
  readonly definition: AnyAssetDefinition;
  /** Input name → upstream key, for the values `materialize` receives. */
  readonly inputs: ReadonlyMap<string, string>;
  /** Every direct upstream key (inputs and ordering deps), sorted. */
  readonly parents: readonly string[];
  /** Every direct downstream key, sorted. */
  readonly children: readonly string[];
  /** Undefined: unpartitioned (always for source assets). */
  readonly partitions: PartitionsDefinition | undefined;
  /** Parent key → the mapping an input names for it (undefined: the default mapping). */
  readonly mappings: ReadonlyMap<string, PartitionMapping | undefined>;
  readonly group: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
  readonly owners: readonly string[];
  readonly kinds: readonly string[];
}

/** A validated, acyclic asset graph in deterministic topological order. */
export class AssetGraph {
  /** Every key, upstream before downstream, ties broken alphabetically. */
  readonly keys: readonly string[];
  readonly resources: ReadonlyMap<string, ResourceDefinition<string, unknown>>;
  /** The project's pools and the slots each has (`defineProject({ pools })`). */
  readonly pools: Readonly<Record<string, number>>;
  private readonly nodes: ReadonlyMap<string, AssetNode>;
  private readonly order: ReadonlyMap<string, number>;

  constructor(
    nodes: ReadonlyMap<string, AssetNode>,
    keys: readonly string[],
    resources: ReadonlyMap<string, ResourceDefinition<string, unknown>>,
    pools: Readonly<Record<string, number>> = {},
  ) {
    this.nodes = nodes;
    this.keys = keys;
    this.resources = resources;
    this.pools = pools;
    this.order = new Map(keys.map((key, i) => [key, i]));
  }

  get size(): number {
    return this.keys.length;
  }

  has(key: string): boolean {
    return this.nodes.has(key);
  }

  get(key: string): AssetNode | undefined {
    return this.nodes.get(key);
  }

  /** The node for `key`; throws with suggestions when there is none. */
  node(key: string): AssetNode {
    const node = this.nodes.get(key);
    if (node === undefined) {
      throw new DefinitionError('E_UNKNOWN_ASSET', `no asset '${key}' in the project`, {
        hint: didYouMean(key, this.keys),
      });
    }
    return node;
  }

  parents(key: string): readonly string[] {
    return this.nodes.get(key)?.parents ?? [];
  }

  children(key: string): readonly string[] {
    return this.nodes.get(key)?.children ?? [];
  }

  /** Position in topological order. */
  position(key: string): number {
    return this.order.get(key) ?? -1;
  }

  /**
   * How `child` reads the partitions of `parent` (spaces `up` and `down`): the mapping its
   * input names, else the default mapping for the two spaces.
   */
  mappingOf(
    child: string,
    parent: string,
    up: PartitionSpace,
    down: PartitionSpace,
  ): PartitionMapping {
    return this.node(child).mappings.get(parent) ?? defaultMapping(up, down);
  }

  /** `keys` sorted upstream first. */
  sortTopologically(keys: Iterable<string>): string[] {
    return [...keys].sort((a, b) => this.position(a) - this.position(b));
  }

  /** `keys` and everything upstream of them. */
  upstreamOf(keys: Iterable<string>): Set<string> {
    return this.closure(keys, (key) => this.parents(key));
  }

  /** `keys` and everything downstream of them. */
  downstreamOf(keys: Iterable<string>): Set<string> {
    return this.closure(keys, (key) => this.children(key));
  }

  private closure(start: Iterable<string>, next: (key: string) => readonly string[]): Set<string> {
    const seen = new Set<string>();
    const stack = [...start];
    while (stack.length > 0) {
      const key = stack.pop()!;
      if (seen.has(key)) continue;
      seen.add(key);
      for (const other of next(key)) if (!seen.has(other)) stack.push(other);
    }
    return seen;
  }
}

/**
 * Validates a project and builds its graph. Every problem is reported at once, each naming
 * the asset and what to do: invalid keys, duplicate keys, unknown upstream keys (with
 * suggestions), undeclared resources, cycles (with their path), and what sensors, schedules,
 * pools and automation conditions refer to.
 */
export function buildAssetGraph(project: ProjectDefinition): AssetGraph {
  const problems: string[] = [];
  const definitions = new Map<string, AnyAssetDefinition>();
  for (let i = 0; i < project.assets.length; i++) {
    const definition = project.assets[i];
    if (!isUpstream(definition)) {
      problems.push(
        `assets[${i}] is not an asset or source asset definition (got ${describe(definition)})`,
      );
      continue;
    }
    const problem = keyProblem(definition.key);
    if (problem !== undefined) {
      problems.push(
        `assets[${i}] has an invalid key ${JSON.stringify(definition.key)}: ${problem}`,
      );
      continue;
    }
    const existing = definitions.get(definition.key);
    if (existing !== undefined && existing !== definition) {
      problems.push(
        `duplicate key '${definition.key}': two different definitions use it (assets[${i}] is the second)`,
      );
      continue;
    }
    definitions.set(definition.key, definition);
  }

  const resources = new Map<string, ResourceDefinition<string, unknown>>();
  for (const resource of project.resources) {
    if (resources.has(resource.key) && resources.get(resource.key) !== resource) {
      problems.push(`duplicate resource key '${resource.key}'`);
    }
    resources.set(resource.key, resource);
  }

  const wiring = new Map<string, Wiring>();
  definitions.forEach((definition) => {
    wiring.set(definition.key, wire(definition, definitions, resources, problems));
  });
  if (problems.length === 0) problems.push(...edgeProblems(definitions));
  if (problems.length > 0) throw definitionProblems(problems);

  const children = new Map<string, string[]>();
  definitions.forEach((_, key) => {
    children.set(key, []);
  });
  wiring.forEach(({ parents }, key) => {
    for (let i = 0; i < parents.length; i++) children.get(parents[i]!)!.push(key);
  });

  const keys = topologicalOrder(wiring, children);
  if (keys.length < definitions.size) {
    const placed = new Set(keys);
    const remaining = [...definitions.keys()].filter((key) => !placed.has(key));
    const cycle = findCycle(remaining, (key) => wiring.get(key)!.parents);
    throw new DefinitionError('E_CYCLE', `the asset graph has a cycle: ${cycle.join(' -> ')}`, {
      hint: 'an asset cannot depend on itself, directly or through others; break the cycle by removing one of these edges',
    });
  }

  const nodes = new Map<string, AssetNode>();
  definitions.forEach((definition, key) => {
    const { inputs, parents, mappings } = wiring.get(key)!;
    nodes.set(key, {
      key,
      kind: definition.kind,
      definition,
      inputs,
      parents,
      children: sortKeys(children.get(key)!),
      partitions: definition.partitions,
      mappings,
      group: definition.group,
      tags: definition.tags ?? {},
      owners: definition.owners ?? [],
      kinds: definition.kinds ?? [],
    });
  });
  const graph = new AssetGraph(nodes, keys, resources, project.pools);
  const automation = automationProblems(project, graph);
  if (automation.length > 0) throw definitionProblems(automation);
  return graph;
}

interface Wiring {
  inputs: Map<string, string>;
  parents: string[];
  mappings: Map<string, PartitionMapping | undefined>;
}

/**
 * The inputs, parents (sorted) and mappings of one definition; what it refers to that is not
 * in the project is added to `problems`. Runs for every asset: no closure, and messages are
 * built only for problems.
 */
function wire(
  definition: AnyAssetDefinition,
  definitions: ReadonlyMap<string, AnyAssetDefinition>,
  resources: ReadonlyMap<string, ResourceDefinition<string, unknown>>,
  problems: string[],
): Wiring {
  const inputs = new Map<string, string>();
  const mappings = new Map<string, PartitionMapping | undefined>();
  // An array, not a Set: an asset has a few parents.
  const parents: string[] = [];
  if (definition.kind === 'asset') {
    for (const name in definition.ins) {
      const upstream = definition.ins[name]!.key;
      inputs.set(name, upstream);
      if (!definitions.has(upstream)) {
        // A definition object passed in `ins` exists: it was only left out of the project.
        problems.push(missingUpstream(definition.key, `reads input '${name}' from`, upstream));
      }
      if (!parents.includes(upstream)) parents.push(upstream);
      const mapping = definition.inputModes[name]?.mapping;
      if (mappings.has(upstream) && mappings.get(upstream) !== mapping) {
        problems.push(
          `asset '${definition.key}' reads '${upstream}' through two inputs with different partition mappings: read it through one input (with many() if it needs several partitions) and derive the rest in materialize`,
        );
      }
      mappings.set(upstream, mapping);
    }
    for (const dep of definition.deps) {
      if (!definitions.has(dep)) {
        const hint = didYouMean(dep, definitions.keys());
        problems.push(missingUpstream(definition.key, 'depends on', dep, hint));
      }
      if (!parents.includes(dep)) parents.push(dep);
    }
  }
  for (const name in definition.resources) {
    const used = definition.resources[name]!;
    if (!resources.has(used.key)) {
      problems.push(
        `${definition.kind === 'asset' ? 'asset' : 'source asset'} '${definition.key}' uses resource '${used.key}'` +
          `${name === used.key ? '' : ` (as '${name}')`}, which the project does not declare: add it to defineProject({ resources })`,
      );
    }
  }
  return { inputs, parents: sortKeys(parents), mappings };
}

function missingUpstream(key: string, how: string, upstream: string, hint?: string): string {
  return (
    `asset '${key}' ${how} '${upstream}', which is not in the project` +
    (hint ? `: ${hint}` : '; add it to defineProject({ assets })')
  );
}

/**
 * `keys` sorted in place as `Array.prototype.sort` sorts strings. By insertion: nearly every
 * list is a few keys long, and V8's sort allocates about a kilobyte per call (20,000 calls for
 * a graph of 10,000 assets: 17 MB of garbage).
 */
function sortKeys(keys: string[]): string[] {
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    for (; j >= 0 && keys[j]! > key; j--) keys[j + 1] = keys[j]!;
    keys[j + 1] = key;
  }
  return keys;
}

function topologicalOrder(
  wiring: ReadonlyMap<string, { parents: readonly string[] }>,
  children: ReadonlyMap<string, readonly string[]>,
): string[] {
  const waiting = new Map<string, number>();
  const ready = new StringHeap();
  wiring.forEach(({ parents }, key) => {
    waiting.set(key, parents.length);
    if (parents.length === 0) ready.push(key);
  });
  const order: string[] = [];
  for (let key = ready.pop(); key !== undefined; key = ready.pop()) {
    order.push(key);
    const next = children.get(key)!;
    for (let i = 0; i < next.length; i++) {
      const child = next[i]!;
      const left = waiting.get(child)! - 1;
      waiting.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  return order;
}

function definitionProblems(problems: string[]): DefinitionError {
  if (problems.length === 1)
    return new DefinitionError('E_DEFINITION', `invalid project: ${problems[0]}`);
  return new DefinitionError(
    'E_DEFINITION',
    `invalid project: ${problems.length} problems\n${problems.map((p) => `  - ${p}`).join('\n')}`,
  );
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object')
    return `an object with keys ${Object.keys(value).slice(0, 5).join(', ') || '(none)'}`;
  return typeof value;
}
