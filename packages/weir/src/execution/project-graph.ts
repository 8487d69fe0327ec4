/**
 * @module execution/project-graph
 * From a project to its validated graph, from a selection to its keys, and the status rows
 * of a set of keys.
 */
import type { ProjectDefinition } from '../definitions/index.js';
import { didYouMean, SelectionError } from '../errors.js';
import { type AssetGraph, buildAssetGraph, selectAssets } from '../graph/index.js';
import type { EventLog, StatusRow } from '../storage/index.js';

const graphs = new WeakMap<ProjectDefinition, AssetGraph>();

/** The validated graph of a project, built once per project object. */
export function graphOf(project: ProjectDefinition | AssetGraph): AssetGraph {
  if (!('kind' in project)) return project;
  let graph = graphs.get(project);
  if (graph === undefined) {
    graph = buildAssetGraph(project);
    graphs.set(project, graph);
  }
  return graph;
}

/**
 * The keys a selection names: an expression, or a list of exact keys; every key when it is
 * omitted. An empty or blank selection is an error, not "everything" (a script passing an
 * empty variable must not run the whole project): `*` selects every asset.
 */
export function selectKeys(
  graph: AssetGraph,
  selection: string | readonly string[] | undefined,
): Set<string> {
  if (selection === undefined) return new Set(graph.keys);
  if (typeof selection !== 'string') {
    if (selection.length === 0) throw emptySelection('the selection lists no assets');
    for (const key of selection) {
      if (!graph.has(key)) {
        throw new SelectionError('E_UNKNOWN_ASSET', `no asset '${key}' in the project`, {
          hint: didYouMean(key, graph.keys),
        });
      }
    }
    return new Set(selection);
  }
  if (selection.trim() === '')
    throw emptySelection(`the selection is empty (${JSON.stringify(selection)})`);
  return selectAssets(selection, graph);
}

function emptySelection(message: string): SelectionError {
  return new SelectionError('E_SELECTION_EMPTY', message, {
    hint: "name assets (a key, a glob, +key, group:NAME), or '*' for every asset; a script passing an empty variable should leave the argument out",
  });
}

/** A selection as text, as runs and backfills record it: a list of keys is their union. */
export function selectionText(selection: string | readonly string[] | undefined): string {
  if (selection === undefined) return '*';
  return typeof selection === 'string' ? selection : selection.join(', ');
}

/** The status rows (and through them the records) of `keys` (unpartitioned), by asset key. */
export async function readStatusRows(
  eventLog: EventLog,
  keys: Iterable<string>,
): Promise<Map<string, StatusRow>> {
  const wanted = [...keys];
  // Listing thousands of keys costs more than reading every row and leaving some out.
  const rows = await eventLog.statusRows(wanted.length > 500 ? undefined : wanted);
  const byKey = new Map<string, StatusRow>();
  const set = new Set(wanted);
  for (const row of rows) if (set.has(row.assetKey)) byKey.set(row.assetKey, row);
  return byKey;
}
