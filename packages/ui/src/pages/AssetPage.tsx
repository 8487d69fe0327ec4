/**
 * One asset: what it is, whether it is healthy and why not, and (in tabs) its history with
 * provenance and diffs, check results, numeric metadata over time and its partition map.
 */
import { type FormEvent, useState } from 'react';
import { useAction, useLoad } from '../components/hooks';
import { Link } from '../components/Link';
import { Loading } from '../components/Loading';
import { Problem } from '../components/Problem';
import { canOperate, useRole } from '../components/role';
import { StatusPill } from '../components/Status';
import { navigate, paths } from '../router';
import { ChecksTab } from './asset/ChecksTab';
import { HistoryTab } from './asset/HistoryTab';
import { PartitionsTab } from './asset/PartitionsTab';
import { PlotsTab } from './asset/PlotsTab';
import { type AssetBody, type LaunchAnswer, pagesApi } from './pages-api';
import './pages.css';

const TABS = [
  ['overview', 'Overview'],
  ['history', 'History'],
  ['checks', 'Checks'],
  ['plots', 'Metadata plots'],
  ['partitions', 'Partitions'],
] as const;

export function AssetPage(props: { assetKey: string; tab: string | undefined }) {
  const key = props.assetKey;
  const loaded = useLoad((signal) => pagesApi.asset(key, signal), [key], 5000);
  const asset = loaded.data?.definition.key === key ? loaded.data : undefined;
  if (asset === undefined) {
    return (
      <div className="page">
        <AssetTitle assetKey={key} />
        {loaded.error ? <Problem error={loaded.error} /> : <Loading what="the asset" />}
      </div>
    );
  }
  const partitioned = asset.definition.partitions !== null;
  const tabs = TABS.filter(
    ([id]) =>
      (id !== 'partitions' || partitioned) &&
      (id !== 'checks' || asset.definition.checks.length > 0),
  );
  const tab = tabs.some(([id]) => id === props.tab) ? props.tab! : 'overview';
  return (
    <div className="page">
      <header className="asset-header card">
        <div className="asset-header-main">
          <AssetTitle assetKey={key} group={asset.definition.group} />
          <div className="asset-status-line">
            <StatusPill status={asset.state.status} />
            {asset.state.freshness?.status === 'overdue' ? <StatusPill status="overdue" /> : null}
            <span className="asset-reason">{asset.state.summary}</span>
          </div>
        </div>
        {asset.definition.kind === 'asset' ? (
          <MaterializeForm asset={asset} onLaunched={loaded.reload} />
        ) : (
          <span className="subtle">source asset: observed, not materialized</span>
        )}
      </header>
      <div className="tabs" aria-label="asset tabs" role="tablist">
        {tabs.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            className={id === tab ? 'tab active' : 'tab'}
            aria-selected={id === tab}
            onClick={() => navigate(paths.asset(key, id === 'overview' ? undefined : id))}
          >
            {label}
          </button>
        ))}
      </div>
      {tab === 'overview' ? <Overview asset={asset} /> : null}
      {tab === 'history' ? <HistoryTab asset={asset} /> : null}
      {tab === 'checks' ? <ChecksTab asset={asset} /> : null}
      {tab === 'plots' ? (
        <PlotsTab
          assetKey={key}
          byWindow={
            (asset.definition.partitions as { kind?: string } | null)?.kind === 'time-window'
          }
        />
      ) : null}
      {tab === 'partitions' ? <PartitionsTab assetKey={key} /> : null}
    </div>
  );
}

function AssetTitle(props: { assetKey: string; group?: string | null }) {
  return (
    <div>
      <div className="crumbs">
        <Link to={paths.graph()}>Lineage</Link>
        {props.group ? (
          <>
            <span aria-hidden="true"> / </span>
            <Link to={paths.graph(`group:${props.group}`)}>{props.group}</Link>
          </>
        ) : null}
      </div>
      <h1 className="asset-key">{props.assetKey}</h1>
    </div>
  );
}

/** The Materialize button (operators), with a partition range for partitioned assets. */
function MaterializeForm(props: { asset: AssetBody; onLaunched: () => void }) {
  const role = useRole();
  const key = props.asset.definition.key;
  const partitioned = props.asset.definition.partitions !== null;
  const [answer, setAnswer] = useState<LaunchAnswer>();
  const {
    run: submit,
    busy,
    error,
  } = useAction(async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const from = String(form.get('from') ?? '').trim();
    const to = String(form.get('to') ?? '').trim();
    setAnswer(undefined);
    const partitions =
      partitioned && (from || to)
        ? { ...(from ? { from } : {}), ...(to ? { to } : {}) }
        : undefined;
    setAnswer(await pagesApi.launch({ selection: key, ...(partitions ? { partitions } : {}) }));
    props.onLaunched();
  });
  const allowed = canOperate(role);
  return (
    <form className="materialize" onSubmit={submit}>
      <div className="materialize-row">
        {partitioned ? (
          <>
            <label>
              <span>from</span>
              <input name="from" placeholder="first stale" aria-label="from partition" size={12} />
            </label>
            <label>
              <span>to</span>
              <input name="to" placeholder="last stale" aria-label="to partition" size={12} />
            </label>
          </>
        ) : null}
        <button
          type="submit"
          className="primary"
          disabled={busy || !allowed}
          title={allowed ? `materialize ${key} (what is stale)` : 'needs an operator token'}
        >
          {busy ? 'Starting…' : 'Materialize'}
        </button>
      </div>
      {answer?.runId ? (
        <div className="launched" role="status">
          Run <Link to={paths.run(answer.runId)}>{answer.runId}</Link> started
        </div>
      ) : null}
      {answer && answer.runId === null ? (
        <div className="launched nothing" role="status">
          <strong>Nothing to do</strong> ({answer.status})
          {Object.keys(answer.reasons).length > 0 ? (
            <ul>
              {Object.entries(answer.reasons).map(([k, reason]) => (
                <li key={k}>
                  <code>{k}</code>: {reason}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {error ? <Problem error={error} /> : null}
    </form>
  );
}

function Overview({ asset }: { asset: AssetBody }) {
  const { definition: d, state } = asset;
  const tags = Object.entries(d.tags);
  return (
    <div className="overview">
      <div className="overview-main">
        <section className="card">
          <h2 className="card-title">About</h2>
          {d.description ? (
            <p className="description">{d.description}</p>
          ) : (
            <p className="subtle">No description.</p>
          )}
          <dl className="kv">
            <dt>Kind</dt>
            <dd>{d.kind === 'source' ? 'source asset' : 'asset'}</dd>
            <dt>Group</dt>
            <dd>{d.group ?? '—'}</dd>
            <dt>Owners</dt>
            <dd>{d.owners.length ? d.owners.map((o) => <Tag key={o}>{o}</Tag>) : '—'}</dd>
            <dt>Kinds</dt>
            <dd>{d.kinds.length ? d.kinds.map((k) => <Tag key={k}>{k}</Tag>) : '—'}</dd>
            <dt>Tags</dt>
            <dd>
              {tags.length
                ? tags.map(([k, v]) => (
                    <Tag key={k}>
                      {k}={v}
                    </Tag>
                  ))
                : '—'}
            </dd>
            <dt>Partitions</dt>
            <dd>{d.partitions === null ? 'not partitioned' : <Plain value={d.partitions} />}</dd>
            <dt>Freshness</dt>
            <dd>
              {d.freshness === null ? '—' : <Plain value={d.freshness} />}
              {state.freshness ? (
                <div className="subtle">
                  {state.freshness.status}: {state.freshness.reason}
                </div>
              ) : null}
            </dd>
            <dt>Automation</dt>
            <dd>{d.automation ?? '—'}</dd>
            <dt>Code version</dt>
            <dd className="mono">
              {state.codeVersion}
              {d.codeVersion ? ' (explicit)' : ' (derived from the code)'}
            </dd>
            <dt>Data version</dt>
            <dd className="mono">{state.dataVersion ?? '—'}</dd>
          </dl>
        </section>
        <section className="card">
          <h2 className="card-title">Checks</h2>
          {d.checks.length === 0 ? (
            <p className="subtle">No checks declared.</p>
          ) : (
            <table className="table compact">
              <thead>
                <tr>
                  <th>Check</th>
                  <th>Severity</th>
                  <th>Blocking</th>
                  <th>Description</th>
                </tr>
              </thead>
              <tbody>
                {d.checks.map((check) => (
                  <tr key={check.name}>
                    <td className="mono">{check.name}</td>
                    <td>
                      <span className={`sev sev-${check.severity}`}>{check.severity}</span>
                    </td>
                    <td>{check.blocking ? 'blocks downstream' : 'no'}</td>
                    <td className="subtle">{check.description ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {state.warnings.length > 0 ? (
            <ul className="warnings">
              {state.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          ) : null}
        </section>
      </div>
      <aside className="overview-side">
        <section className="card why">
          <h2 className="card-title">
            {state.status === 'fresh' ? 'Up to date' : `Why ${state.status}`}
          </h2>
          {state.causes.length === 0 ? (
            <p className="subtle">{state.summary}</p>
          ) : (
            <ol className="causes">
              {state.causes.map((cause, i) => (
                <li key={`${cause.category}-${i}`} className={`cause cause-${cause.category}`}>
                  <span className="cause-category">{cause.category}</span>
                  <span>{cause.reason}</span>
                  {cause.runId ? (
                    <>
                      {' '}
                      <Link to={paths.run(cause.runId)}>run</Link>
                    </>
                  ) : null}
                </li>
              ))}
            </ol>
          )}
          {state.upstream.length > 0 ? (
            <>
              <h3>Upstream states</h3>
              <ul className="linked-assets">
                {state.upstream.map((up) => (
                  <li key={up.key}>
                    <StatusPill status={up.status} />
                    <Link to={paths.asset(up.key)}>{up.key}</Link>
                    <span className="subtle">{up.summary}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
        <section className="card">
          <h2 className="card-title">Lineage</h2>
          <h3>Upstream</h3>
          <AssetLinks keys={d.upstream} />
          <h3>Downstream</h3>
          <AssetLinks keys={d.downstream} />
          <p>
            <Link to={paths.graph(`+${d.key}+`)}>Show in the lineage graph</Link>
          </p>
        </section>
      </aside>
    </div>
  );
}

function AssetLinks({ keys }: { keys: string[] }) {
  if (keys.length === 0) return <p className="subtle">none</p>;
  return (
    <ul className="linked-assets">
      {keys.map((k) => (
        <li key={k}>
          <Link to={paths.asset(k)}>{k}</Link>
        </li>
      ))}
    </ul>
  );
}

function Tag({ children }: { children: React.ReactNode }) {
  return <span className="tag">{children}</span>;
}

/** A plain JSON value (a partitions spec, a freshness policy) in a compact, readable line. */
function Plain({ value }: { value: unknown }) {
  if (value === null || typeof value !== 'object') return <span>{String(value)}</span>;
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([, v]) => v !== null && v !== undefined,
  );
  return (
    <span className="plain">
      {entries.map(([k, v]) => (
        <span key={k} className="tag">
          {k}: {typeof v === 'object' ? JSON.stringify(v) : String(v)}
        </span>
      ))}
    </span>
  );
}
