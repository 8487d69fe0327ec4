/**
 * The lineage view: the whole asset graph, left to right, coloured by state, groups as
 * clusters. Search by key, filter with the selection language, select a node to see its
 * upstream and downstream and act on it. States refresh every second (a 304 when nothing
 * changed); the layout is fetched once per graph version.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, type GraphBody, get, type LayoutBody, post, storedToken } from '../api';
import { ago } from '../components/format';
import { useAction } from '../components/hooks';
import { Link } from '../components/Link';
import { Problem } from '../components/Problem';
import { canOperate, useRole } from '../components/role';
import { StatusPill } from '../components/Status';
import { GraphCanvas } from '../graph/GraphCanvas';
import { buildScene, displayState, reach, STATE_COLORS } from '../graph/scene';
import { navigate, paths } from '../router';
import './graph.css';

const LEGEND = ['fresh', 'stale', 'missing', 'failed', 'running', 'failing', 'overdue'] as const;
const LEGEND_TEXT: Record<string, string> = { failing: 'check failing' };

export function GraphPage(props: { selection: string | undefined }) {
  const [graph, setGraph] = useState<GraphBody>();
  const [layout, setLayout] = useState<LayoutBody>();
  const [error, setError] = useState<Error>();
  const [selected, setSelected] = useState<number>();
  const [hovered, setHovered] = useState<number>();
  const [focus, setFocus] = useState<{ node: number; seq: number }>();
  const [fitSeq, setFitSeq] = useState(0);
  const [filter, setFilter] = useState<{ expression: string; keys: Set<string> } | undefined>();
  const [filterError, setFilterError] = useState<Error>();

  useGraphPolling(setGraph, setError);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setSelected(undefined);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  useEffect(() => {
    if (graph === undefined || layout?.version === graph.version) return;
    get<LayoutBody>(`/api/graph/layout?version=${graph.version}`).then(setLayout, setError);
  }, [graph, layout?.version]);

  const scene = useMemo(
    () =>
      graph && layout && layout.version === graph.version ? buildScene(graph, layout) : undefined,
    [graph, layout],
  );
  const selectedKey = selected === undefined ? undefined : scene?.nodes[selected]?.key;

  useEffect(() => {
    setFilterError(undefined);
    if (props.selection === undefined) {
      setFilter(undefined);
      return;
    }
    get<{ keys: string[] }>(`/api/select?q=${encodeURIComponent(props.selection)}`).then(
      (body) => {
        setFilter({ expression: props.selection!, keys: new Set(body.keys) });
        setFilterError(undefined);
      },
      (caught: Error) => {
        // A filter that does not parse applies nothing: the old one must not look like its result.
        setFilter(undefined);
        setFilterError(caught);
      },
    );
  }, [props.selection]);

  const emphasis = useMemo(() => {
    const related =
      scene && selected !== undefined
        ? new Set([...reach(selected, scene.parents), ...reach(selected, scene.children)])
        : undefined;
    const filtered =
      scene && filter
        ? new Set(
            [...filter.keys].map((key) => scene.indexOf.get(key)!).filter((n) => n !== undefined),
          )
        : undefined;
    return { selected, related, filtered, hovered };
  }, [scene, selected, filter, hovered]);

  const counts = useMemo(() => {
    const result: Record<string, number> = {};
    for (const node of graph?.nodes ?? []) {
      const state = displayState(node);
      result[state] = (result[state] ?? 0) + 1;
    }
    return result;
  }, [graph]);

  if (error && !graph)
    return (
      <div className="page">
        <Problem error={error} />
      </div>
    );
  return (
    <div className="graph-page">
      <div className="graph-toolbar">
        <Search
          scene={scene}
          onPick={(n) => {
            setSelected(n);
            setFocus({ node: n, seq: Date.now() });
          }}
        />
        <form
          className="graph-filter"
          onSubmit={(event) => {
            event.preventDefault();
            const value = String(new FormData(event.currentTarget).get('select') ?? '').trim();
            navigate(paths.graph(value || undefined));
          }}
        >
          <input
            name="select"
            key={props.selection ?? ''}
            defaultValue={props.selection ?? ''}
            placeholder="filter: group:raw+  gauges/*  +KEY"
            aria-label="selection filter"
          />
          {props.selection ? (
            <button type="button" onClick={() => navigate(paths.graph())}>
              Clear
            </button>
          ) : null}
        </form>
        {filter ? (
          <span className="subtle">
            {filter.keys.size} of {graph?.nodes.length ?? 0} selected
          </span>
        ) : null}

        <div className="graph-legend">
          {LEGEND.map((state) => (
            <span key={state} className="legend-item">
              <i style={{ background: STATE_COLORS[state] }} />
              {LEGEND_TEXT[state] ?? state} <b>{counts[state] ?? 0}</b>
            </span>
          ))}
        </div>
        <button type="button" onClick={() => setFitSeq((n) => n + 1)}>
          Fit
        </button>
      </div>
      <div className="graph-body">
        <div className="graph-stage">
          {filterError ? (
            <div className="graph-filter-error" role="alert">
              <pre>{filterError.message}</pre>
              {filterError instanceof ApiError && filterError.hint ? (
                <p>{filterError.hint}</p>
              ) : null}
              <p className="subtle">
                The filter is not applied. Selections: see docs/selection.md (
                <code>group:NAME</code>, <code>gauges/*</code>, <code>+KEY</code> for upstream,{' '}
                <code>KEY+</code> for downstream).
              </p>
            </div>
          ) : null}
          {scene ? (
            <GraphCanvas
              label={`asset lineage graph: ${LEGEND.map((state) => `${counts[state] ?? 0} ${LEGEND_TEXT[state] ?? state}`).join(', ')}; search above to select an asset`}
              scene={scene}
              emphasis={emphasis}
              focus={focus}
              fitSeq={fitSeq}
              onSelect={setSelected}
              onHover={setHovered}
              onOpen={(n) => navigate(paths.asset(scene.nodes[n]!.key))}
            />
          ) : (
            <div className="graph-loading">Loading the graph…</div>
          )}
          {error && graph ? (
            <div className="graph-stale-banner">Lost contact with the server: {error.message}</div>
          ) : null}
          {hovered !== undefined && scene && hovered !== selected ? (
            <div className="graph-hover">
              <b>{scene.nodes[hovered]!.key}</b> · {displayState(scene.nodes[hovered]!)}:{' '}
              {scene.nodes[hovered]!.reason}
            </div>
          ) : null}
        </div>
        {selectedKey && scene && selected !== undefined ? (
          <NodePanel
            key={selectedKey}
            node={scene.nodes[selected]!}
            parents={scene.parents[selected]!.map((n) => ({ n, key: scene.nodes[n]!.key }))}
            children={scene.children[selected]!.map((n) => ({ n, key: scene.nodes[n]!.key }))}
            upstream={reach(selected, scene.parents).size}
            downstream={reach(selected, scene.children).size}
            onPick={(n) => {
              setSelected(n);
              setFocus({ node: n, seq: Date.now() });
            }}
            onClose={() => setSelected(undefined)}
          />
        ) : null}
      </div>
    </div>
  );
}

/** Polls /api/graph every second with its ETag: a 304 costs nothing and keeps the data. */
function useGraphPolling(
  setGraph: (graph: GraphBody) => void,
  setError: (error: Error | undefined) => void,
) {
  const tag = useRef<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const headers = new Headers();
        const token = storedToken();
        if (token) headers.set('Authorization', `Bearer ${token}`);
        if (tag.current) headers.set('If-None-Match', tag.current);
        const response = await fetch('/api/graph', {
          headers,
          cache: 'no-store',
          signal: controller.signal,
        });
        if (response.status === 200) {
          tag.current = response.headers.get('ETag');
          setGraph((await response.json()) as GraphBody);
          setError(undefined);
        } else if (response.status !== 304) {
          const body = (await response.json().catch(() => ({}))) as {
            error?: { code: string; message: string; hint?: string };
          };
          setError(
            new ApiError(
              response.status,
              body.error?.code ?? 'E_HTTP',
              body.error?.message ?? response.statusText,
              body.error?.hint,
            ),
          );
        }
      } catch (caught) {
        if (!controller.signal.aborted) setError(caught as Error);
      }
      if (!controller.signal.aborted) timer = setTimeout(poll, 1000);
    };
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [setGraph, setError]);
}

function Search(props: {
  scene: ReturnType<typeof buildScene> | undefined;
  onPick: (node: number) => void;
}) {
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const matches = useMemo(() => {
    const needle = text.trim().toLowerCase();
    if (!props.scene || needle === '') return [];
    const found: number[] = [];
    props.scene.nodes.forEach((node, n) => {
      if (found.length < 12 && node.key.toLowerCase().includes(needle)) found.push(n);
    });
    return found;
  }, [text, props.scene]);
  return (
    <div className="graph-search">
      <input
        value={text}
        placeholder="search assets"
        aria-label="search assets"
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && matches[0] !== undefined) {
            props.onPick(matches[0]);
            setOpen(false);
          }
          if (event.key === 'Escape') setOpen(false);
        }}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      {open && matches.length > 0 ? (
        <ul className="graph-search-results">
          {matches.map((n) => (
            <li key={n}>
              <button
                type="button"
                onMouseDown={() => {
                  props.onPick(n);
                  setOpen(false);
                }}
              >
                <i style={{ background: STATE_COLORS[displayState(props.scene!.nodes[n]!)] }} />
                {props.scene!.nodes[n]!.key}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

interface Neighbour {
  n: number;
  key: string;
}

function NodePanel(props: {
  node: GraphBody['nodes'][number];
  parents: Neighbour[];
  children: Neighbour[];
  upstream: number;
  downstream: number;
  onPick: (node: number) => void;
  onClose: () => void;
}) {
  const { node } = props;
  const role = useRole();
  const [launch, setLaunch] = useState<{ runId: string | null; status?: string }>();
  const state = displayState(node);
  const {
    run: materialize,
    busy,
    error: launchError,
  } = useAction(async (force: boolean) => {
    setLaunch(
      await post<{ runId: string | null; status?: string }>('/api/runs', {
        selection: node.key,
        force,
      }),
    );
  });
  return (
    <aside className="graph-panel" aria-label="selected asset">
      <div className="graph-panel-head">
        <h2>{node.key}</h2>
        <button type="button" className="close" aria-label="close" onClick={props.onClose}>
          ×
        </button>
      </div>
      <div className="graph-panel-state">
        <StatusPill status={state} />{' '}
        {node.kind === 'source' ? <span className="tag">source</span> : null}
        {node.group ? <span className="tag">group: {node.group}</span> : null}
      </div>
      <p className="graph-panel-reason">{node.reason}</p>
      <dl className="kv">
        <dt>{node.kind === 'source' ? 'Observed' : 'Materialized'}</dt>
        <dd>{node.materializedAt === null ? 'never (successfully)' : ago(node.materializedAt)}</dd>
        {node.partitions ? (
          <>
            <dt>Partitions</dt>
            <dd>
              {node.partitions.fresh} fresh, {node.partitions.stale} stale,{' '}
              {node.partitions.missing} missing, {node.partitions.failed} failed
            </dd>
          </>
        ) : null}
      </dl>
      <Neighbours title="Reads" all={props.upstream} direct={props.parents} onPick={props.onPick} />
      <Neighbours
        title="Read by"
        all={props.downstream}
        direct={props.children}
        onPick={props.onPick}
      />
      <div className="graph-panel-actions">
        <Link to={paths.asset(node.key)} className="button">
          Open asset
        </Link>
        {node.kind === 'asset' ? (
          <button
            type="button"
            className="primary"
            disabled={busy || !canOperate(role)}
            title={canOperate(role) ? undefined : 'needs an operator token'}
            onClick={() => materialize(false)}
          >
            Materialize
          </button>
        ) : null}
      </div>
      {launchError ? <Problem error={launchError} /> : null}
      {launch && !launchError ? (
        <div className="graph-panel-launch">
          {launch.runId ? (
            <>
              Run <Link to={paths.run(launch.runId)}>{launch.runId}</Link> started.
            </>
          ) : (
            <>
              Nothing to do: it is up to date, so nothing ran.{' '}
              <button type="button" disabled={busy} onClick={() => materialize(true)}>
                Materialize anyway
              </button>
            </>
          )}
        </div>
      ) : null}
    </aside>
  );
}

/** The direct neighbours of the selected asset, each a button that selects it. */
function Neighbours(props: {
  title: string;
  all: number;
  direct: Neighbour[];
  onPick: (node: number) => void;
}) {
  const SHOWN = 8;
  if (props.all === 0) return null;
  return (
    <div className="graph-panel-neighbours">
      <h3>
        {props.title}{' '}
        <span className="subtle">
          ({props.direct.length} directly, {props.all} in all)
        </span>
      </h3>
      <ul>
        {props.direct.slice(0, SHOWN).map((neighbour) => (
          <li key={neighbour.n}>
            <button type="button" className="link" onClick={() => props.onPick(neighbour.n)}>
              {neighbour.key}
            </button>
          </li>
        ))}
        {props.direct.length > SHOWN ? (
          <li className="subtle">and {props.direct.length - SHOWN} more</li>
        ) : null}
      </ul>
    </div>
  );
}
