/**
 * What the project automates — sensors, schedules, observed sources and asset conditions —
 * with the last tick and its outcome, the next tick, recent ticks, and pause/resume.
 */
import { Fragment, useState } from 'react';
import { ago, duration, time } from '../components/format';
import { useLoad } from '../components/hooks';
import { Link } from '../components/Link';
import { Loading } from '../components/Loading';
import { Problem } from '../components/Problem';
import { canOperate, useRole } from '../components/role';
import { paths } from '../router';
import { type AutomationEntry, pagesApi, type StoredEvent } from './pages-api';
import './pages.css';

export function AutomationPage() {
  const loaded = useLoad((signal) => pagesApi.automation(signal), [], 5000);
  const role = useRole();
  const [open, setOpen] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<Error>();
  const entries = loaded.data?.entries;
  const toggle = async (entry: AutomationEntry) => {
    setBusy(entry.name);
    setError(undefined);
    try {
      await pagesApi.setPaused(entry.name, !entry.paused);
      loaded.reload();
    } catch (caught) {
      setError(caught as Error);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>Automation</h1>
          <p className="subtle">
            Sensors, schedules, observed sources and asset conditions; they tick while{' '}
            <code>weir daemon</code> (or <code>weir dev</code>) runs.
          </p>
        </div>
      </header>
      {loaded.error ? <Problem error={loaded.error} /> : null}
      {error ? <Problem error={error} /> : null}
      {entries === undefined && !loaded.error ? <Loading what="automation" /> : null}
      {entries !== undefined && entries.length === 0 ? (
        <div className="empty card">
          <strong>Nothing is automated.</strong>
          <p className="subtle">
            Add a <code>sensor()</code>, a <code>schedule()</code> or an <code>automation</code>{' '}
            condition to an asset.
          </p>
        </div>
      ) : null}
      {entries !== undefined && entries.length > 0 ? (
        <table className="table automation-table">
          <thead>
            <tr>
              <th>Kind</th>
              <th>Name</th>
              <th>State</th>
              <th>Last tick</th>
              <th>Outcome</th>
              <th>Next tick</th>
              <th>Detail</th>
              <th aria-label="actions" />
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <Fragment key={`${entry.kind}:${entry.name}`}>
                <tr className={entry.paused ? 'paused' : ''} data-name={entry.name}>
                  <td>
                    <span className={`kind kind-${entry.kind}`}>{entry.kind}</span>
                  </td>
                  <td className="mono">
                    {entry.kind === 'condition' || entry.kind === 'observe' ? (
                      <Link to={paths.asset(entry.name)}>{entry.name}</Link>
                    ) : (
                      entry.name
                    )}
                  </td>
                  <td>
                    <span className={`pill ${entry.paused ? 'pill-paused' : 'pill-active'}`}>
                      {entry.paused ? 'paused' : 'active'}
                    </span>
                  </td>
                  <td title={time(entry.lastAt)}>{entry.lastAt ? ago(entry.lastAt) : 'never'}</td>
                  <td
                    className={
                      /fail|error|timed-out/.test(entry.outcome ?? '') ? 'outcome-bad' : ''
                    }
                  >
                    {entry.outcome ?? '—'}
                  </td>
                  <td title={time(entry.nextAt)}>
                    {entry.paused ? '—' : entry.nextAt ? until(entry.nextAt) : '—'}
                  </td>
                  <td className="subtle detail-cell">{entry.detail}</td>
                  <td className="actions">
                    <button
                      type="button"
                      onClick={() => setOpen(open === entry.name ? undefined : entry.name)}
                      aria-expanded={open === entry.name}
                    >
                      Ticks
                    </button>
                    {canOperate(role) ? (
                      <button
                        type="button"
                        className={entry.paused ? 'primary' : ''}
                        disabled={busy === entry.name}
                        onClick={() => toggle(entry)}
                        aria-label={`${entry.paused ? 'resume' : 'pause'} ${entry.name}`}
                      >
                        {entry.paused ? 'Resume' : 'Pause'}
                      </button>
                    ) : null}
                  </td>
                </tr>
                {open === entry.name ? (
                  <tr className="ticks-row">
                    <td colSpan={8}>
                      <Ticks name={entry.name} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

function until(at: number): string {
  const ms = at - Date.now();
  return ms <= 1000 ? 'due now' : `in ${duration(ms)}`;
}

function Ticks({ name }: { name: string }) {
  const loaded = useLoad(() => pagesApi.ticks(name), [name], 5000);
  if (loaded.error) return <Problem error={loaded.error} />;
  if (loaded.data === undefined) return <Loading what="ticks" />;
  const events = loaded.data.events;
  if (events.length === 0) return <p className="subtle ticks-empty">No ticks recorded yet.</p>;
  return (
    <table className="table compact ticks-table">
      <thead>
        <tr>
          <th>When</th>
          <th>Outcome</th>
          <th>Runs</th>
          <th>Detail</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <TickRow key={event.id} event={event} />
        ))}
      </tbody>
    </table>
  );
}

function TickRow({ event }: { event: StoredEvent }) {
  let outcome = '';
  let detail = '';
  let runIds: string[] = [];
  if (event.type === 'sensor:ticked') {
    outcome = event.outcome;
    runIds = event.runIds;
    detail = event.error
      ? event.error.message
      : `${event.observations} observation(s), ${event.partitionsAdded} partition(s) added, ${duration(event.durationMs)}`;
  } else if (event.type === 'schedule:ticked') {
    outcome = event.error ? 'failed' : 'launched';
    runIds = event.runIds;
    detail = event.error ? event.error.message : `tick ${time(event.tick)}`;
  } else if (event.type === 'automation:evaluated') {
    outcome = event.count > 0 ? 'requested' : 'nothing';
    runIds = event.runIds;
    detail = `${event.count} partition(s) requested`;
  }
  return (
    <tr>
      <td title={time(event.timestamp)}>{ago(event.timestamp)}</td>
      <td className={/fail|timed-out/.test(outcome) ? 'outcome-bad' : ''}>{outcome}</td>
      <td>
        {runIds.length === 0
          ? '—'
          : runIds.map((runId) => (
              <div key={runId}>
                <Link to={paths.run(runId)} className="mono">
                  {runId}
                </Link>
              </div>
            ))}
      </td>
      <td className="subtle">{detail}</td>
    </tr>
  );
}
