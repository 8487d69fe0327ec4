/**
 * The steps of a run as a Gantt chart on a canvas: one row per asset partition, bars coloured
 * by status. Only the rows in view are drawn, so a run of thousands of steps scrolls smoothly.
 */
import { useEffect, useRef, useState } from 'react';
import type { StepBar } from '../pages-api';

const ROW = 24;
const HEADER = 28;
const LABEL = 300;
const PAD = 72;
const MAX_VIEW = 420;

export const STEP_COLOURS: Record<StepBar['status'], string> = {
  running: '#2563eb',
  materialized: '#1f9d55',
  failed: '#dc2626',
  skipped: '#a3adbb',
  cancelled: '#6b7280',
};

export const stepId = (step: { assetKey: string; partition: string }) =>
  `${step.assetKey}\u0000${step.partition}`;

const TICKS = [
  10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000,
  300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000,
];

function tickLabel(ms: number): string {
  if (ms === 0) return '0';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${+(ms / 60_000).toFixed(1)} min`;
  return `${+(ms / 3_600_000).toFixed(1)} h`;
}

export function Gantt(props: {
  steps: StepBar[];
  startedAt: number;
  endedAt: number | null;
  selected: string | undefined;
  onSelect: (id: string | undefined) => void;
}) {
  const { steps, startedAt } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);
  const [scrollTop, setScrollTop] = useState(0);
  const [hoverRow, setHoverRow] = useState<number>();
  const [now, setNow] = useState(Date.now());
  const running = props.endedAt === null;

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [running]);

  useEffect(() => {
    const element = scrollRef.current;
    if (element === null) return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    setWidth(element.clientWidth);
    return () => observer.disconnect();
  }, []);

  const total = HEADER + steps.length * ROW;
  const viewHeight = Math.min(MAX_VIEW, Math.max(total, HEADER + ROW));
  let end = Math.max(props.endedAt ?? now, startedAt + 1);
  for (const s of steps) end = Math.max(end, s.endedAt ?? (running ? now : s.startedAt));
  const span = end - startedAt;

  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas === null || width === 0) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(viewHeight * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${viewHeight}px`;
    const ctx = canvas.getContext('2d');
    if (ctx === null) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, viewHeight);
    const plotWidth = Math.max(40, width - LABEL - PAD);
    const xOf = (t: number) => LABEL + ((t - startedAt) / span) * plotWidth;
    ctx.font = '12px Inter, system-ui, sans-serif';
    ctx.textBaseline = 'middle';

    // Rows in view.
    const first = Math.floor(scrollTop / ROW);
    const offset = scrollTop - first * ROW;
    const count = Math.ceil((viewHeight - HEADER) / ROW) + 1;
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, HEADER, width, viewHeight - HEADER);
    ctx.clip();
    // Row backgrounds, then the grid, then labels and bars.
    for (let i = first; i < Math.min(steps.length, first + count); i++) {
      const y = HEADER + (i - first) * ROW - offset;
      const id = stepId(steps[i]!);
      const fill =
        id === props.selected
          ? '#e3f0fb'
          : i === hoverRow
            ? '#f3f6fa'
            : i % 2 === 1
              ? '#fafbfd'
              : undefined;
      if (fill) {
        ctx.fillStyle = fill;
        ctx.fillRect(0, y, width, ROW);
      }
    }
    const tick = TICKS.find((t) => span / t <= 8) ?? TICKS[TICKS.length - 1]!;
    ctx.strokeStyle = '#eef1f5';
    for (let t = 0; t <= span; t += tick) {
      const x = Math.round(xOf(startedAt + t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, HEADER);
      ctx.lineTo(x, viewHeight);
      ctx.stroke();
    }

    for (let i = first; i < Math.min(steps.length, first + count); i++) {
      const step = steps[i]!;
      const y = HEADER + (i - first) * ROW - offset;
      // Label: key, then the partition in grey, clipped to the label column.
      ctx.save();
      ctx.beginPath();
      ctx.rect(0, y, LABEL - 12, ROW);
      ctx.clip();
      ctx.fillStyle = '#17202c';
      ctx.fillText(step.assetKey, 10, y + ROW / 2);
      if (step.partition) {
        const keyWidth = ctx.measureText(step.assetKey).width;
        ctx.fillStyle = '#5b6778';
        ctx.fillText(step.partition, 10 + keyWidth + 8, y + ROW / 2);
      }
      ctx.restore();
      // Bar.
      const x0 = xOf(step.startedAt);
      const stepEnd = step.endedAt ?? (running ? now : step.startedAt);
      const x1 = Math.max(x0 + 3, xOf(stepEnd));
      ctx.fillStyle = STEP_COLOURS[step.status];
      ctx.beginPath();
      ctx.roundRect(x0, y + 5, x1 - x0, ROW - 10, Math.max(0, Math.min(3, (x1 - x0) / 2)));
      ctx.fill();
      const took = Math.round(stepEnd - step.startedAt);
      const text = took < 1 ? '< 1 ms' : tickLabel(took);
      ctx.fillStyle = '#5b6778';
      ctx.fillText(
        step.status === 'materialized' ? text : `${text} · ${step.status}`,
        x1 + 6,
        y + ROW / 2,
      );
    }
    ctx.restore();

    // The time axis, over the rows.
    ctx.fillStyle = '#fafbfd';
    ctx.fillRect(0, 0, width, HEADER);
    ctx.strokeStyle = '#e1e6ee';
    ctx.beginPath();
    ctx.moveTo(0, HEADER - 0.5);
    ctx.lineTo(width, HEADER - 0.5);
    ctx.stroke();
    ctx.fillStyle = '#5b6778';
    ctx.fillText(`${steps.length.toLocaleString('en-US')} steps`, 10, HEADER / 2);
    for (let t = 0; t <= span; t += tick)
      ctx.fillText(tickLabel(t), xOf(startedAt + t) + 3, HEADER / 2);
    if (running) {
      const x = xOf(now);
      ctx.strokeStyle = '#2563eb';
      ctx.setLineDash([3, 3]);
      ctx.beginPath();
      ctx.moveTo(Math.round(x) + 0.5, HEADER);
      ctx.lineTo(Math.round(x) + 0.5, viewHeight);
      ctx.stroke();
      ctx.setLineDash([]);
    }
  }, [
    steps,
    width,
    scrollTop,
    hoverRow,
    props.selected,
    now,
    span,
    startedAt,
    viewHeight,
    running,
  ]);

  const rowAt = (clientY: number): number | undefined => {
    const canvas = canvasRef.current;
    if (canvas === null) return undefined;
    const y = clientY - canvas.getBoundingClientRect().top;
    if (y < HEADER) return undefined;
    const row = Math.floor((y - HEADER + scrollTop) / ROW);
    return row >= 0 && row < steps.length ? row : undefined;
  };

  return (
    <div
      ref={scrollRef}
      className="gantt"
      style={{ height: viewHeight }}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
    >
      <div style={{ height: total, position: 'relative' }}>
        <canvas
          ref={canvasRef}
          className="gantt-canvas"
          aria-label={`timeline of ${steps.length} steps`}
          onMouseMove={(event) => setHoverRow(rowAt(event.clientY))}
          onMouseLeave={() => setHoverRow(undefined)}
          onClick={(event) => {
            const row = rowAt(event.clientY);
            if (row === undefined) return;
            const id = stepId(steps[row]!);
            props.onSelect(id === props.selected ? undefined : id);
          }}
        />
      </div>
    </div>
  );
}
