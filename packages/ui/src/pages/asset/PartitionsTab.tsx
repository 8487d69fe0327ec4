/** A partitioned asset's partitions: counts, the map, and the backfills that covered it. */
import { ago, duration, time } from '../../components/format';
import { useLoad } from '../../components/hooks';
import { Link } from '../../components/Link';
import { Loading } from '../../components/Loading';
import { Problem } from '../../components/Problem';
import { StatusPill } from '../../components/Status';
import { paths } from '../../router';
import { pagesApi } from '../pages-api';
import { PartitionMapCanvas, STATE_COLOURS } from './PartitionMap';

const LEGEND = [
  ['fresh', 'f'],
  ['stale', 's'],
  ['missing', 'm'],
  ['failed', 'x'],
] as const;

export function PartitionsTab({ assetKey }: { assetKey: string }) {
  const loaded = useLoad((signal) => pagesApi.partitions(assetKey, signal), [assetKey], 10_000);
  if (loaded.error) return <Problem error={loaded.error} />;
  if (loaded.data === undefined) return <Loading what="partitions" />;
  const map = loaded.data;
  return (
    <div className="partitions">
      <fieldset className="legend" aria-label="partition counts">
        {LEGEND.map(([name, letter]) => (
          <div key={name} className="legend-item">
            <span className="swatch" style={{ background: STATE_COLOURS[letter] }} />
            <span className="legend-name">{name}</span>
            <strong className="legend-count">{map.counts[name].toLocaleString('en-US')}</strong>
            <span className="subtle small">
              {map.size > 0 ? `${((map.counts[name] / map.size) * 100).toFixed(1)}%` : ''}
            </span>
          </div>
        ))}
      </fieldset>
      <section className="card">
        {map.size === 0 ? (
          <p className="subtle">No partitions yet (a dynamic partition set with no keys).</p>
        ) : (
          <PartitionMapCanvas
            map={map}
            loadKeys={(from, to) => pagesApi.partitionKeys(assetKey, from, to)}
          />
        )}
      </section>
      <h2>Backfills</h2>
      {map.backfills.length === 0 ? (
        <p className="subtle">
          No backfill has covered this asset. Start one with{' '}
          <code>weir backfill {assetKey} --from … --to …</code>.
        </p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Status</th>
              <th>Backfill</th>
              <th>Range</th>
              <th>Requested</th>
              <th>Took</th>
              <th>Runs</th>
            </tr>
          </thead>
          <tbody>
            {map.backfills.map((b) => (
              <tr key={b.backfillId}>
                <td>
                  <StatusPill status={b.status} />
                </td>
                <td className="mono">{b.backfillId}</td>
                <td className="mono">
                  {b.request.partitions
                    ? `${b.request.partitions.length} partitions`
                    : `${b.request.from ?? 'first'} → ${b.request.to ?? 'last'}`}
                  <div className="subtle small">{b.request.selection}</div>
                </td>
                <td title={time(b.requestedAt)}>{ago(b.requestedAt)}</td>
                <td>{b.finishedAt ? duration(b.finishedAt - b.requestedAt) : '—'}</td>
                <td>
                  {b.runIds.slice(0, 5).map((runId) => (
                    <div key={runId}>
                      <Link to={paths.run(runId)} className="mono">
                        {runId}
                      </Link>
                    </div>
                  ))}
                  {b.runIds.length > 5 ? (
                    <span className="subtle small">+{b.runIds.length - 5} more</span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
