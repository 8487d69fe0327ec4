/**
 * Materializations newest first, a page at a time, each with its provenance; ticking two
 * rows shows what moved between them (the diff).
 */
import { Fragment, useEffect, useRef, useState } from 'react';
import { download } from '../../api';
import { ago, duration, short, time } from '../../components/format';
import { Link } from '../../components/Link';
import { Loading } from '../../components/Loading';
import { Problem } from '../../components/Problem';
import { stamp } from '../../components/stamp';
import { paths } from '../../router';
import {
  type AssetBody,
  type MaterializationEvent,
  type ObservationEvent,
  pagesApi,
} from '../pages-api';
import { DiffPanel } from './DiffPanel';

type HistoryEvent = MaterializationEvent | ObservationEvent;

const PAGE = 25;

export function HistoryTab({ asset }: { asset: AssetBody }) {
  const key = asset.definition.key;
  // `?event=ID` (a provenance link) starts the list at that materialization.
  const focus = Number(new URLSearchParams(window.location.search).get('event')) || undefined;
  const [events, setEvents] = useState<HistoryEvent[]>();
  const [more, setMore] = useState(false);
  const [error, setError] = useState<Error>();
  const [loadingMore, setLoadingMore] = useState(false);
  // `?from=ID&to=ID` is a diff someone linked to; ticking two rows writes it into the address.
  const [selected, setSelected] = useState<number[]>(linkedDiff);
  const first = useRef(true);
  const [a, b] = selected;
  useEffect(() => {
    const url = new URL(window.location.href);
    if (a !== undefined && b !== undefined) {
      url.searchParams.set('from', String(Math.min(a, b)));
      url.searchParams.set('to', String(Math.max(a, b)));
    } else {
      url.searchParams.delete('from');
      url.searchParams.delete('to');
    }
    history.replaceState(null, '', url.pathname + url.search);
  }, [a, b]);
  const [open, setOpen] = useState<Set<number>>(() => new Set(focus ? [focus] : []));
  const [partition, setPartition] = useState('');
  const partitioned = asset.definition.partitions !== null;

  useEffect(() => {
    let live = true;
    setEvents(undefined);
    if (!first.current) setSelected([]);
    first.current = false;
    const options = {
      limit: PAGE,
      ...(focus ? { before: focus + 1 } : {}),
      ...(partition ? { partition } : {}),
    };
    pagesApi.materializations(key, options).then(
      (page) => {
        if (!live) return;
        setEvents(page.events);
        setMore(page.more);
        if (!focus && page.events[0]) setOpen(new Set([page.events[0].id]));
      },
      (caught: Error) => live && setError(caught),
    );
    return () => {
      live = false;
    };
  }, [key, focus, partition]);

  const loadMore = async () => {
    const last = events?.[events.length - 1];
    if (!last) return;
    setLoadingMore(true);
    try {
      const page = await pagesApi.materializations(key, {
        before: last.id,
        limit: PAGE,
        ...(partition ? { partition } : {}),
      });
      setEvents((old) => [...(old ?? []), ...page.events]);
      setMore(page.more);
    } catch (caught) {
      setError(caught as Error);
    } finally {
      setLoadingMore(false);
    }
  };

  const filter = partitioned ? (
    <form
      className="history-filter"
      onSubmit={(event) => {
        event.preventDefault();
        setPartition(String(new FormData(event.currentTarget).get('partition') ?? '').trim());
      }}
    >
      <input
        name="partition"
        defaultValue={partition}
        placeholder="partition key"
        aria-label="partition filter"
      />
      <button type="submit">Filter</button>
      {partition ? (
        <button type="button" onClick={() => setPartition('')}>
          Every partition
        </button>
      ) : null}
    </form>
  ) : null;
  if (error) return <Problem error={error} />;
  if (events === undefined) return <Loading what="history" />;
  if (events.length === 0) {
    return (
      <div className="empty card">
        {filter}
        <strong>
          {partition ? `Partition ${partition} was never ` : 'Never '}
          {asset.definition.kind === 'source' ? 'observed' : 'materialized'}.
        </strong>
        <p className="subtle">Materialize it and its history starts here.</p>
      </div>
    );
  }
  const isSource = events.every((e) => e.type === 'asset:observed');
  const toggleSelected = (id: number) =>
    setSelected((old) => (old.includes(id) ? old.filter((x) => x !== id) : [...old, id].slice(-2)));
  const toggleOpen = (id: number) =>
    setOpen((old) => {
      const next = new Set(old);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <div className="history">
      {filter}
      {focus ? (
        <p className="subtle">
          Showing from materialization #{focus}.{' '}
          <Link to={paths.asset(key, 'history')}>Show the newest</Link>
        </p>
      ) : null}
      {a !== undefined && b !== undefined ? (
        <DiffPanel
          assetKey={key}
          from={Math.min(a, b)}
          to={Math.max(a, b)}
          onClose={() => setSelected([])}
        />
      ) : !isSource ? (
        <p className="hint">
          Tick two materializations to see what moved between them: code, inputs, config, metadata,
          schema.
          {selected.length === 1 ? <strong> One ticked; tick another.</strong> : null}
        </p>
      ) : null}
      <table className="table history-table">
        <thead>
          <tr>
            <th className="col-check" aria-label="compare" />
            <th>#</th>
            <th>{isSource ? 'Observed' : 'Materialized'}</th>
            <th>Run</th>
            {partitioned ? <th>Partition</th> : null}
            <th>Data version</th>
            {isSource ? null : (
              <>
                <th>Code version</th>
                <th>Duration</th>
              </>
            )}
            <th>Metadata</th>
            <th aria-label="details" />
          </tr>
        </thead>
        <tbody>
          {events.map((event) => {
            const m = event.type === 'asset:materialized' ? event.materialization : undefined;
            const metadata =
              m?.metadata ?? (event.type === 'asset:observed' ? event.observation.metadata : {});
            const isOpen = open.has(event.id);
            const colSpan = (partitioned ? 10 : 9) - (isSource ? 2 : 0);
            return (
              <Fragment key={event.id}>
                <tr
                  className={`${selected.includes(event.id) ? 'selected' : ''} ${focus === event.id ? 'focused' : ''}`}
                  data-event={event.id}
                >
                  <td className="col-check">
                    {m ? (
                      <input
                        type="checkbox"
                        aria-label={`compare #${event.id}`}
                        checked={selected.includes(event.id)}
                        onChange={() => toggleSelected(event.id)}
                      />
                    ) : null}
                  </td>
                  <td className="mono subtle">{event.id}</td>
                  <td className="nowrap" title={time(event.timestamp)}>
                    <div>{stamp(event.timestamp)}</div>
                    <div className="subtle small">{ago(event.timestamp)}</div>
                  </td>
                  <td className="nowrap">
                    {event.runId ? (
                      <Link to={paths.run(event.runId)} className="mono">
                        {event.runId}
                      </Link>
                    ) : (
                      '—'
                    )}
                  </td>
                  {partitioned ? <td className="mono">{event.partition || '—'}</td> : null}
                  <td className="mono">
                    {short(
                      m?.dataVersion ??
                        (event.type === 'asset:observed'
                          ? event.observation.dataVersion
                          : undefined),
                    )}
                    {m?.blockedBy?.length ? (
                      <span className="blocked" title={`blocked by ${m.blockedBy.join(', ')}`}>
                        blocked
                      </span>
                    ) : null}
                  </td>
                  {isSource ? null : (
                    <>
                      <td className="mono">{short(m?.codeVersion)}</td>
                      <td>{m ? duration(m.endedAt - m.startedAt) : '—'}</td>
                    </>
                  )}
                  <td>
                    <MetadataChips metadata={metadata} />
                  </td>
                  <td>
                    {m ? (
                      <button
                        type="button"
                        className="link-button"
                        aria-expanded={isOpen}
                        onClick={() => toggleOpen(event.id)}
                      >
                        {isOpen ? 'Hide provenance' : 'Provenance'}
                      </button>
                    ) : null}
                  </td>
                </tr>
                {m && isOpen ? (
                  <tr className="provenance-row">
                    <td colSpan={colSpan}>
                      <Provenance assetKey={key} event={event as MaterializationEvent} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      {more ? (
        <div className="more">
          <button type="button" onClick={loadMore} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : 'Older materializations'}
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** Where a materialization came from: code, each input's version (linked), host, run, artefact. */
function Provenance({ assetKey, event }: { assetKey: string; event: MaterializationEvent }) {
  const m = event.materialization;
  const inputs = Object.entries(m.inputs);
  const [error, setError] = useState<Error>();
  const name = `${assetKey.replaceAll('/', '_')}${event.partition ? `_${event.partition}` : ''}${m.artefact.format === 'json' ? '.json' : ''}`;
  return (
    <fieldset className="provenance" aria-label={`provenance of #${event.id}`}>
      <div className="provenance-grid">
        <section>
          <h4>Inputs</h4>
          {inputs.length === 0 ? (
            <p className="subtle">No upstream: a root asset.</p>
          ) : (
            <ul className="inputs">
              {inputs.map(([input, version]) => (
                <li key={input}>
                  <Link to={paths.asset(input)}>{input}</Link>
                  <span className="arrow">@</span>
                  <Link
                    to={`${paths.asset(input, 'history')}&event=${version.eventId}`}
                    className="mono version-link"
                    title={`data version ${version.dataVersion}, produced by event #${version.eventId}`}
                  >
                    {short(version.dataVersion)}
                  </Link>
                  <span className="subtle small">
                    {' '}
                    #{version.eventId}
                    {version.partitionCount ? ` · ${version.partitionCount} partitions` : ''}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section>
          <h4>Code</h4>
          <dl className="kv small-kv">
            <dt>Code version</dt>
            <dd className="mono" title={m.codeVersion}>
              {short(m.codeVersion)}
            </dd>
            {m.codeParts
              ? Object.entries(m.codeParts).map(([part, hash]) => (
                  <Fragment key={part}>
                    <dt className="mono part" title={part}>
                      {partLabel(part)}
                    </dt>
                    <dd className="mono">{short(hash)}</dd>
                  </Fragment>
                ))
              : null}
            <dt>Config hash</dt>
            <dd className="mono">{short(m.configHash)}</dd>
          </dl>
        </section>
        <section>
          <h4>Where and when</h4>
          <dl className="kv small-kv">
            <dt>Run</dt>
            <dd>
              <Link to={paths.run(event.runId)} className="mono">
                {event.runId}
              </Link>
            </dd>
            <dt>Host</dt>
            <dd className="mono">{m.host}</dd>
            <dt>Started</dt>
            <dd>{stamp(m.startedAt)}</dd>
            <dt>Weir</dt>
            <dd className="mono">{m.weirVersion}</dd>
            <dt>Data version</dt>
            <dd className="mono" title={m.dataVersion}>
              {short(m.dataVersion)}
            </dd>
          </dl>
        </section>
        <section>
          <h4>Artefact</h4>
          <dl className="kv small-kv">
            <dt>Format</dt>
            <dd>
              {m.artefact.format} ({m.artefact.type})
            </dd>
            <dt>Size</dt>
            <dd>{bytes(m.artefact.size)}</dd>
          </dl>
          {m.artefact.type !== 'directory' ? (
            <button
              type="button"
              className="download"
              onClick={() =>
                download(pagesApi.artefactUrl(assetKey, event.id), name).catch(setError)
              }
            >
              Download
            </button>
          ) : null}
          {error ? <Problem error={error} /> : null}
        </section>
      </div>
    </fieldset>
  );
}

export function MetadataChips({ metadata }: { metadata: Record<string, unknown> }) {
  const entries = Object.entries(metadata).filter(([name]) => name !== 'schema');
  const schema = metadata.schema as { columns?: Record<string, string> } | undefined;
  if (entries.length === 0 && !schema) return <span className="subtle">—</span>;
  return (
    <span className="chips">
      {entries.slice(0, 6).map(([name, value]) => (
        <span key={name} className="chip" title={`${name}: ${JSON.stringify(value)}`}>
          <span className="chip-name">{name}</span>
          <span className="chip-value">{brief(value)}</span>
        </span>
      ))}
      {schema?.columns ? (
        <span
          className="chip"
          title={Object.entries(schema.columns)
            .map(([c, t]) => `${c}: ${t}`)
            .join('\n')}
        >
          <span className="chip-name">schema</span>
          <span className="chip-value">{Object.keys(schema.columns).length} columns</span>
        </span>
      ) : null}
      {entries.length > 6 ? <span className="subtle small">+{entries.length - 6}</span> : null}
    </span>
  );
}

export function brief(value: unknown): string {
  if (typeof value === 'number') return value.toLocaleString('en-US', { maximumFractionDigits: 4 });
  if (typeof value === 'string') return value.length > 40 ? `${value.slice(0, 39)}…` : value;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** The diff an address names (`?from=ID&to=ID`), or none. */
function linkedDiff(): number[] {
  const params = new URLSearchParams(window.location.search);
  const ids = [Number(params.get('from')), Number(params.get('to'))];
  return ids.every((id) => Number.isInteger(id) && id > 0) ? ids : [];
}

/** A code part as a person reads it: the compiler's stand-in for import.meta.url by its name. */
function partLabel(part: string): string {
  return part.replace(/__weir_meta_(url|dirname|filename)_[0-9a-f]+/, 'import.meta.$1');
}
