/** Every run, newest first, refreshed every 2 s: status, trigger and reason, selection, timing. */
import { useState } from 'react';
import { ago, duration, time } from '../components/format';
import { useLoad } from '../components/hooks';
import { Link } from '../components/Link';
import { Loading } from '../components/Loading';
import { Problem } from '../components/Problem';
import { StatusPill } from '../components/Status';
import { stamp } from '../components/stamp';
import { paths } from '../router';
import { pagesApi, partitionsText, triggerText } from './pages-api';
import './pages.css';

const STATUSES = ['running', 'success', 'failed', 'cancelled', 'crashed'] as const;

export function RunsPage() {
  const [status, setStatus] = useState<string>('');
  const loaded = useLoad((signal) => pagesApi.runs(status || undefined, signal), [status], 2000);
  const runs = loaded.data?.runs;
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>Runs</h1>
          <p className="subtle">Every run, newest first; refreshed every 2 seconds.</p>
        </div>
        <label className="filter">
          <span>Status</span>
          <select
            aria-label="status filter"
            value={status}
            onChange={(event) => setStatus(event.target.value)}
          >
            <option value="">all</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </header>
      {loaded.error ? <Problem error={loaded.error} /> : null}
      {runs === undefined && !loaded.error ? <Loading what="runs" /> : null}
      {runs !== undefined && runs.length === 0 ? (
        <div className="empty card">
          <strong>{status ? `No ${status} runs.` : 'No runs yet.'}</strong>
          <p className="subtle">
            Materialize an asset from its page, or run <code>weir materialize</code>.
          </p>
        </div>
      ) : null}
      {runs !== undefined && runs.length > 0 ? (
        <table className="table runs-table">
          <thead>
            <tr>
              <th>Status</th>
              <th>Run</th>
              <th>Launched by</th>
              <th>Selection</th>
              <th>Started</th>
              <th>Duration</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => {
              const trigger = triggerText(run);
              return (
                <tr key={run.runId}>
                  <td>
                    <StatusPill status={run.status} />
                  </td>
                  <td className="nowrap">
                    <Link to={paths.run(run.runId)} className="mono run-link">
                      {run.runId}
                    </Link>
                    {run.backfillId ? (
                      <div className="subtle small">backfill {run.backfillId}</div>
                    ) : null}
                  </td>
                  <td className="trigger-cell">
                    <span className={`trigger trigger-${run.trigger?.kind ?? 'manual'}`}>
                      {trigger.who}
                    </span>
                    <div className="subtle small reason">{trigger.reason}</div>
                  </td>
                  <td className="mono selection-cell" title={run.selection}>
                    {run.selection}
                    <div className="subtle small">
                      {run.steps.length} asset{run.steps.length === 1 ? '' : 's'}
                      {run.partitions ? ` · ${partitionsText(run)}` : ''}
                    </div>
                  </td>
                  <td className="nowrap" title={time(run.startedAt)}>
                    {ago(run.startedAt)}
                    <div className="subtle small">{stamp(run.startedAt)}</div>
                  </td>
                  <td>
                    {run.status === 'running'
                      ? `${duration(Date.now() - run.startedAt)}…`
                      : duration(run.durationMs)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
