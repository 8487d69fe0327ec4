/**
 * Numeric metadata (row counts, bounds, sizes…) over time, with uPlot: of recent
 * materializations, or, for an asset partitioned by time windows, of each partition's current
 * value at its window's start (a month's flagged points, month by month).
 */
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { type Loaded, useLoad } from '../../components/hooks';
import { Loading } from '../../components/Loading';
import { Problem } from '../../components/Problem';
import { pagesApi } from '../pages-api';

type Series = Awaited<ReturnType<typeof pagesApi.series>>;

export function PlotsTab({ assetKey, byWindow }: { assetKey: string; byWindow: boolean }) {
  const [by, setBy] = useState<'materialization' | 'partition'>(
    byWindow ? 'partition' : 'materialization',
  );
  const loaded = useLoad(() => pagesApi.series(assetKey, by), [assetKey, by]);
  const choice = byWindow ? (
    <div className="plot-by" role="radiogroup" aria-label="plot by">
      {(['partition', 'materialization'] as const).map((option) => (
        <label key={option}>
          <input
            type="radio"
            name="plot-by"
            checked={by === option}
            onChange={() => setBy(option)}
          />{' '}
          {option === 'partition' ? 'by partition (window start)' : 'by materialization time'}
        </label>
      ))}
    </div>
  ) : null;
  return (
    <>
      {choice}
      <PlotList loaded={loaded} />
    </>
  );
}

function PlotList({ loaded }: { loaded: Loaded<Series> }) {
  if (loaded.error) return <Problem error={loaded.error} />;
  if (loaded.data === undefined) return <Loading what="metadata" />;
  const { at, series } = loaded.data;
  const names = Object.keys(series).sort();
  if (names.length === 0) {
    return (
      <div className="empty card">
        <strong>No numeric metadata yet.</strong>
        <p className="subtle">
          Record numbers with <code>ctx.addMetadata({'{ rowCount: rows.length }'})</code> and they
          are plotted here over time.
        </p>
      </div>
    );
  }
  return (
    <div className="plots">
      {names.map((name) => (
        <Plot key={name} name={name} at={at} values={series[name]!} />
      ))}
    </div>
  );
}

function Plot(props: { name: string; at: number[]; values: Array<number | null> }) {
  const ref = useRef<HTMLDivElement>(null);
  const { name, at, values } = props;
  const last = [...values].reverse().find((v) => v !== null);
  useEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const width = Math.max(280, element.clientWidth);
    const plot = new uPlot(
      {
        width,
        height: 180,
        legend: { show: false },
        cursor: { drag: { x: true, y: false } },
        scales: { x: { time: true } },
        axes: [
          { stroke: '#5b6778', grid: { stroke: '#eef1f5' }, ticks: { stroke: '#e1e6ee' } },
          {
            stroke: '#5b6778',
            grid: { stroke: '#eef1f5' },
            ticks: { stroke: '#e1e6ee' },
            size: 60,
          },
        ],
        series: [
          {},
          {
            label: name,
            stroke: '#1769aa',
            width: 2,
            fill: 'rgba(23,105,170,0.08)',
            points: { show: values.length < 60, size: 5 },
            spanGaps: true,
          },
        ],
      },
      [at.map((t) => t / 1000), values],
      element,
    );
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(280, element.clientWidth), height: 180 }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [name, at, values]);
  return (
    <section className="card plot-card">
      <header className="plot-header">
        <span className="mono">{name}</span>
        <span className="plot-last">
          {last === undefined || last === null ? '—' : last.toLocaleString('en-US')}
        </span>
      </header>
      <div ref={ref} className="plot" role="img" aria-label={`plot of ${name}`} />
    </section>
  );
}
