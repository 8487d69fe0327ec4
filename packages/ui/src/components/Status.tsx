/** A state as a coloured pill; the colours are the graph's (styles.css --fresh, --stale, …). */
export type State =
  | 'fresh'
  | 'stale'
  | 'missing'
  | 'failed'
  | 'running'
  | 'overdue'
  | 'failing'
  | 'success'
  | 'cancelled'
  | 'crashed'
  | 'skipped'
  | 'materialized';

export function StatusPill({ status }: { status: string }) {
  return <span className={`pill pill-${status}`}>{status}</span>;
}
