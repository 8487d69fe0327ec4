/** Check results over time, grouped by the materialization they looked at. */
import { ago, time } from '../../components/format';
import { useLoad } from '../../components/hooks';
import { Link } from '../../components/Link';
import { Loading } from '../../components/Loading';
import { Problem } from '../../components/Problem';
import { paths } from '../../router';
import { type AssetBody, type CheckEvent, pagesApi } from '../pages-api';

export function ChecksTab({ asset }: { asset: AssetBody }) {
  const key = asset.definition.key;
  const loaded = useLoad(() => pagesApi.checks(key), [key]);
  if (loaded.error) return <Problem error={loaded.error} />;
  if (loaded.data === undefined) return <Loading what="check results" />;
  const events = loaded.data.events;
  if (events.length === 0) {
    return (
      <div className="empty card">
        <strong>No check results yet.</strong>
        <p className="subtle">
          {asset.definition.checks.length === 0
            ? 'This asset declares no checks.'
            : `Its ${asset.definition.checks.length} check(s) run on each materialization.`}
        </p>
      </div>
    );
  }
  // Group by materialization, newest first (the events come newest first).
  const groups: Array<{ id: number; events: CheckEvent[] }> = [];
  for (const event of events) {
    const last = groups[groups.length - 1];
    if (last?.id === event.materializationId) last.events.push(event);
    else groups.push({ id: event.materializationId, events: [event] });
  }
  const failed = events.filter((e) => !e.check.passed).length;
  return (
    <div>
      <p className="subtle">
        {events.length} results over {groups.length} materializations;{' '}
        {failed === 0 ? 'all passed.' : `${failed} failed.`}
      </p>
      <table className="table checks-table">
        <thead>
          <tr>
            <th>Materialization</th>
            <th>Check</th>
            <th>Result</th>
            <th>Severity</th>
            <th>Message</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((group) =>
            group.events.map((event, i) => (
              <tr key={event.id} className={i === 0 ? 'group-start' : ''}>
                {i === 0 ? (
                  <td rowSpan={group.events.length} className="group-cell">
                    <Link to={`${paths.asset(key, 'history')}&event=${group.id}`} className="mono">
                      #{group.id}
                    </Link>
                    {event.partition ? <div className="mono small">{event.partition}</div> : null}
                    <div className="small subtle" title={time(event.timestamp)}>
                      {ago(event.timestamp)}
                    </div>
                    {event.runId ? (
                      <Link to={paths.run(event.runId)} className="small mono">
                        {event.runId}
                      </Link>
                    ) : null}
                  </td>
                ) : null}
                <td className="mono">{event.check.name}</td>
                <td>
                  <span className={`pill ${event.check.passed ? 'pill-success' : 'pill-failed'}`}>
                    {event.check.passed ? 'passed' : 'failed'}
                  </span>
                </td>
                <td>
                  <span className={`sev sev-${event.check.severity}`}>{event.check.severity}</span>
                  {event.check.blocking ? <span className="subtle small"> blocking</span> : null}
                </td>
                <td className="message">{event.check.message ?? ''}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
  );
}
