/**
 * @module graph/_automation-problems
 * What the automation definitions of a project refer to, checked against its graph: pools
 * declared and large enough, sensors' resources declared, schedule selections that resolve,
 * and condition `ignore` keys that are parents of their asset.
 */
import {
  type AutomationCondition,
  childrenOf,
  type ProjectDefinition,
} from '../definitions/index.js';
import { didYouMean } from '../errors.js';
import type { AssetGraph } from './asset-graph.js';
import { selectAssets } from './selection/index.js';

/** Every problem found, each a sentence naming the definition and the fix. */
export function automationProblems(project: ProjectDefinition, graph: AssetGraph): string[] {
  return [
    ...poolProblems(project, graph),
    ...sensorProblems(project, graph),
    ...scheduleProblems(project, graph),
    ...conditionProblems(graph),
  ];
}

function poolProblems(project: ProjectDefinition, graph: AssetGraph): string[] {
  const problems: string[] = [];
  const pools = Object.keys(project.pools);
  for (const key of graph.keys) {
    const definition = graph.node(key).definition;
    if (definition.kind !== 'asset' || definition.pool === undefined) continue;
    const limit = project.pools[definition.pool];
    if (limit === undefined) {
      const hint = didYouMean(definition.pool, pools);
      problems.push(
        `asset '${key}' uses pool '${definition.pool}', which the project does not declare: ${hint ?? `add it to defineProject({ pools: { ${definition.pool}: N } })`}`,
      );
    } else if (definition.slots > limit) {
      problems.push(
        `asset '${key}' takes ${definition.slots} slots of pool '${definition.pool}', which has only ${limit}: it could never run`,
      );
    }
  }
  return problems;
}

function sensorProblems(project: ProjectDefinition, graph: AssetGraph): string[] {
  const problems: string[] = [];
  for (const sensor of project.sensors) {
    for (const [name, used] of Object.entries(sensor.resources)) {
      if (graph.resources.has(used.key)) continue;
      problems.push(
        `sensor '${sensor.name}' uses resource '${used.key}'${name === used.key ? '' : ` (as '${name}')`}, which the project does not declare: add it to defineProject({ resources })`,
      );
    }
  }
  return problems;
}

function scheduleProblems(project: ProjectDefinition, graph: AssetGraph): string[] {
  const problems: string[] = [];
  for (const schedule of project.schedules) {
    let keys: Set<string>;
    try {
      keys = selectAssets(schedule.selection, graph);
    } catch (error) {
      problems.push(
        `schedule '${schedule.name}' has an invalid selection: ${(error as Error).message}`,
      );
      continue;
    }
    if (schedule.partition !== 'previous-window') continue;
    for (const key of keys) {
      const partitions = graph.node(key).partitions;
      if (partitions !== undefined && partitions.kind !== 'time-window') {
        problems.push(
          `schedule '${schedule.name}' asks for the previous window, but '${key}' has ${partitions.description}: give partition a function (tick) => keys, or select time-window assets only`,
        );
      }
    }
  }
  return problems;
}

function conditionProblems(graph: AssetGraph): string[] {
  const problems: string[] = [];
  for (const key of graph.keys) {
    const definition = graph.node(key).definition;
    if (definition.kind !== 'asset' || definition.automation === undefined) continue;
    const parents = graph.parents(key);
    for (const ignored of ignoredKeys(definition.automation)) {
      if (parents.includes(ignored)) continue;
      const known = graph.has(ignored);
      problems.push(
        `asset '${key}' automation ignores '${ignored}', which ${known ? 'it does not read' : 'is not in the project'}${
          known
            ? ''
            : `${didYouMean(ignored, parents) === undefined ? '' : `: ${didYouMean(ignored, parents)}`}`
        }`,
      );
    }
  }
  return problems;
}

function ignoredKeys(condition: AutomationCondition): Set<string> {
  const keys = new Set<string>();
  const visit = (node: AutomationCondition): void => {
    if ('ignore' in node) for (const key of node.ignore) keys.add(key);
    for (const child of childrenOf(node)) visit(child);
  };
  visit(condition);
  return keys;
}
