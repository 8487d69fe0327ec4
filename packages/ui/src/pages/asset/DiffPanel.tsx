/**
 * What moved between two materializations, leading with the answer to "why did this value
 * change?": the inputs that moved, the code that changed, the config; then the effects
 * (data version, metadata with deltas, schema columns).
 */
import { api, type MaterializationDiff } from '../../api';
import { short } from '../../components/format';
import { useLoad } from '../../components/hooks';
import { Link } from '../../components/Link';
import { Loading } from '../../components/Loading';
import { Problem } from '../../components/Problem';
import { paths } from '../../router';
import { brief } from './HistoryTab';

export function DiffPanel(props: {
  assetKey: string;
  from: number;
  to: number;
  onClose: () => void;
}) {
  const { assetKey, from, to } = props;
  const loaded = useLoad(() => api.diff(assetKey, from, to), [assetKey, from, to]);
  const diff = loaded.data?.from === from && loaded.data.to === to ? loaded.data : undefined;
  return (
    <section className="diff card" aria-label="diff">
      <header className="diff-header">
        <h2 className="card-title">
          What changed from <span className="mono">#{from}</span> to{' '}
          <span className="mono">#{to}</span>
        </h2>
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </header>
      {loaded.error ? <Problem error={loaded.error} /> : null}
      {diff === undefined && !loaded.error ? <Loading what="the diff" /> : null}
      {diff ? <DiffBody assetKey={assetKey} diff={diff} /> : null}
    </section>
  );
}

function DiffBody({ assetKey, diff }: { assetKey: string; diff: MaterializationDiff }) {
  const causes = verdict(diff);
  const schemaChanges =
    diff.schema.added.length + diff.schema.removed.length + diff.schema.retyped.length;
  return (
    <div className="diff-body">
      <div className={`verdict ${diff.dataVersion.changed ? 'verdict-changed' : 'verdict-same'}`}>
        <strong>
          {diff.dataVersion.changed ? 'The data changed' : 'The data is the same (same bytes)'}
        </strong>
        <span className="mono">
          {short(diff.dataVersion.from)} → {short(diff.dataVersion.to)}
        </span>
        <span className="verdict-because">
          {causes.length === 0
            ? diff.dataVersion.changed
              ? 'with the same code, inputs and config: the asset reads something Weir does not track (a clock, a network call, a file)'
              : 'nothing that determines it moved'
            : `because ${causes.join(', ')}`}
        </span>
      </div>

      <div className="diff-grid">
        <section>
          <h3>Inputs</h3>
          {diff.inputs.length === 0 ? (
            <p className="subtle">No input moved.</p>
          ) : (
            <table className="table compact">
              <tbody>
                {diff.inputs.map((input) => (
                  <tr key={input.key} className={`input-${input.change}`}>
                    <td>
                      <Link to={paths.asset(input.key)}>{input.key}</Link>
                    </td>
                    <td>
                      <span className={`change change-${input.change}`}>{input.change}</span>
                    </td>
                    <td className="mono nowrap">
                      <VersionLink assetKey={input.key} version={input.from} />
                      <span className="arrow"> → </span>
                      <VersionLink assetKey={input.key} version={input.to} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <section>
          <h3>Code and config</h3>
          <dl className="kv small-kv">
            <dt>Code version</dt>
            <dd className="mono">
              {diff.codeVersion.changed ? (
                <span className="moved">
                  {short(diff.codeVersion.from)} → {short(diff.codeVersion.to)}
                </span>
              ) : (
                <span className="subtle">unchanged ({short(diff.codeVersion.to)})</span>
              )}
            </dd>
            {diff.codeParts.map((part) => (
              <FragmentPart key={part.part} part={part} />
            ))}
            <dt>Config</dt>
            <dd>
              {diff.configChanged ? (
                <span className="moved">changed (the resources it uses changed)</span>
              ) : (
                <span className="subtle">unchanged</span>
              )}
            </dd>
          </dl>
        </section>

        <section>
          <h3>Metadata</h3>
          {diff.metadata.length === 0 ? (
            <p className="subtle">No metadata changed.</p>
          ) : (
            <table className="table compact metadata-diff">
              <thead>
                <tr>
                  <th>Entry</th>
                  <th>Before</th>
                  <th>After</th>
                  <th>Change</th>
                </tr>
              </thead>
              <tbody>
                {diff.metadata.map((entry) => (
                  <tr key={entry.name}>
                    <td className="mono">{entry.name}</td>
                    <td className="mono">{entry.from === undefined ? '—' : brief(entry.from)}</td>
                    <td className="mono">{entry.to === undefined ? '—' : brief(entry.to)}</td>
                    <td className="mono">
                      {entry.delta === undefined ? (
                        <span className="subtle">
                          {entry.from === undefined
                            ? 'added'
                            : entry.to === undefined
                              ? 'removed'
                              : 'changed'}
                        </span>
                      ) : (
                        <Delta delta={entry.delta} from={entry.from as number} />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <section>
          <h3>Schema</h3>
          {schemaChanges === 0 ? (
            <p className="subtle">No column added, removed or retyped.</p>
          ) : (
            <ul className="schema-changes">
              {diff.schema.added.map((c) => (
                <li key={`a-${c.column}`} className="col-added">
                  <span className="sign">+</span>
                  <span className="mono">{c.column}</span> <span className="subtle">{c.type}</span>
                  <span className="col-note">column added</span>
                </li>
              ))}
              {diff.schema.removed.map((c) => (
                <li key={`r-${c.column}`} className="col-removed">
                  <span className="sign">−</span>
                  <span className="mono">{c.column}</span> <span className="subtle">{c.type}</span>
                  <span className="col-note">column removed</span>
                </li>
              ))}
              {diff.schema.retyped.map((c) => (
                <li key={`t-${c.column}`} className="col-retyped">
                  <span className="sign">~</span>
                  <span className="mono">{c.column}</span>{' '}
                  <span className="subtle">
                    {c.from} → {c.to}
                  </span>
                  <span className="col-note">column retyped</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <p className="diff-links subtle small">
        <Link to={`${paths.asset(assetKey, 'history')}&event=${diff.from}`}>#{diff.from}</Link>
        {' · '}
        <Link to={`${paths.asset(assetKey, 'history')}&event=${diff.to}`}>#{diff.to}</Link>
      </p>
    </div>
  );
}

function FragmentPart({ part }: { part: MaterializationDiff['codeParts'][number] }) {
  return (
    <>
      <dt className="mono part">{part.part}</dt>
      <dd className="mono">
        <span className="moved">
          {part.from === undefined
            ? `added (${short(part.to)})`
            : part.to === undefined
              ? `removed (was ${short(part.from)})`
              : `${short(part.from)} → ${short(part.to)}`}
        </span>
      </dd>
    </>
  );
}

function VersionLink(props: {
  assetKey: string;
  version: { dataVersion: string; eventId: number } | undefined;
}) {
  if (props.version === undefined) return <span className="subtle">none</span>;
  return (
    <Link
      to={`${paths.asset(props.assetKey, 'history')}&event=${props.version.eventId}`}
      title={`${props.version.dataVersion} (event #${props.version.eventId})`}
    >
      {short(props.version.dataVersion)}
    </Link>
  );
}

function Delta({ delta, from }: { delta: number; from: number }) {
  const sign = delta > 0 ? '+' : delta < 0 ? '−' : '±';
  const percent = from !== 0 ? ` (${sign}${Math.abs((delta / from) * 100).toFixed(1)}%)` : '';
  return (
    <span className={delta > 0 ? 'delta-up' : delta < 0 ? 'delta-down' : 'subtle'}>
      {sign}
      {Math.abs(delta).toLocaleString('en-US', { maximumFractionDigits: 4 })}
      {percent}
    </span>
  );
}

/** The causes of the change, in a phrase each. */
function verdict(diff: MaterializationDiff): string[] {
  const causes: string[] = [];
  const moved = diff.inputs.filter((i) => i.change === 'moved').map((i) => i.key);
  const added = diff.inputs.filter((i) => i.change === 'added').map((i) => i.key);
  const removed = diff.inputs.filter((i) => i.change === 'removed').map((i) => i.key);
  if (moved.length) causes.push(`${list(moved)} moved on`);
  if (added.length) causes.push(`it now reads ${list(added)}`);
  if (removed.length) causes.push(`it no longer reads ${list(removed)}`);
  if (diff.codeVersion.changed) {
    causes.push(
      diff.codeParts.length
        ? `its code changed (${list(diff.codeParts.map((p) => p.part))})`
        : 'its code version changed',
    );
  }
  if (diff.configChanged) causes.push('its config changed');
  return causes;
}

const list = (items: string[]) =>
  items.length <= 3
    ? items.join(', ')
    : `${items.slice(0, 3).join(', ')} and ${items.length - 3} more`;
