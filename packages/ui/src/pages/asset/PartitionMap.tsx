/**
 * A partition map on a canvas: one cell per partition, coloured by state, readable at 100,000
 * partitions (when there are more partitions than pixels, a cell stands for a run of them and
 * takes the worst state among them). Drag across cells or turn the wheel to zoom into an index
 * range; hovering names the partition (keys are fetched for the range in view).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PartitionMap as MapBody } from '../pages-api';

export const STATE_COLOURS: Record<string, string> = {
  f: '#1f9d55',
  s: '#e08a0b',
  m: '#cbd2dc',
  x: '#dc2626',
};
export const STATE_NAMES: Record<string, string> = {
  f: 'fresh',
  s: 'stale',
  m: 'missing',
  x: 'failed',
};
/** Which state a cell standing for several partitions shows: the worst. */
const RANK: Record<string, number> = { x: 4, m: 3, s: 2, f: 1 };

const HEIGHT = 280;
const MAX_CELL = 26;
const KEY_CHUNK = 5000;

interface Layout {
  lo: number;
  hi: number;
  size: number;
  cols: number;
  rows: number;
  /** Partitions per cell. */
  per: number;
  cells: number;
  gap: number;
  height: number;
}

function layoutFor(lo: number, hi: number, width: number): Layout {
  const n = Math.max(1, hi - lo);
  let size = Math.floor(Math.sqrt((width * HEIGHT) / n));
  size = Math.max(1, Math.min(MAX_CELL, size));
  const cols = Math.max(1, Math.floor(width / size));
  const maxRows = Math.max(1, Math.floor(HEIGHT / size));
  const per = Math.max(1, Math.ceil(n / (cols * maxRows)));
  const cells = Math.ceil(n / per);
  const rows = Math.ceil(cells / cols);
  return {
    lo,
    hi,
    size,
    cols,
    rows,
    per,
    cells,
    gap: size >= 12 ? 2 : size >= 7 ? 1 : 0,
    height: rows * size,
  };
}

export function PartitionMapCanvas(props: {
  map: MapBody;
  loadKeys: (from: number, to: number) => Promise<string[]>;
}) {
  const { map } = props;
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);
  const [view, setView] = useState<[number, number]>([0, map.size]);
  const [hover, setHover] = useState<{ cell: number; x: number; y: number }>();
  const [drag, setDrag] = useState<{ from: number; to: number }>();
  const [keys, setKeys] = useState<Map<number, string[]>>(() => new Map());
  const asked = useRef(new Set<number>());

  useEffect(() => {
    setView(([lo, hi]) => (hi > map.size || lo >= hi ? [0, map.size] : [lo, hi]));
  }, [map.size]);

  useEffect(() => {
    const element = wrapRef.current;
    if (element === null) return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    setWidth(element.clientWidth);
    return () => observer.disconnect();
  }, []);

  const layout = useMemo(
    () => (width > 0 ? layoutFor(view[0], view[1], width) : undefined),
    [view, width],
  );

  const cellLetter = useCallback(
    (cell: number, l: Layout) => {
      const start = l.lo + cell * l.per;
      const end = Math.min(l.hi, start + l.per);
      let best = '';
      for (let i = start; i < end; i++) {
        const letter = map.letters[i]!;
        if (best === '' || RANK[letter]! > RANK[best]!) best = letter;
        if (best === 'x') break;
      }
      return best;
    },
    [map.letters],
  );

  // Draw.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas === null || layout === undefined) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(layout.height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${layout.height}px`;
    const ctx = canvas.getContext('2d');
    if (ctx === null) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, layout.height);
    const { size, gap, cols } = layout;
    const [selLo, selHi] = drag
      ? [Math.min(drag.from, drag.to), Math.max(drag.from, drag.to)]
      : [-1, -2];
    for (let row = 0; row < layout.rows; row++) {
      let runStart = 0;
      let runColour = '';
      const flush = (endCol: number) => {
        if (runColour === '') return;
        ctx.fillStyle = runColour;
        if (gap === 0) {
          ctx.fillRect(runStart * size, row * size, (endCol - runStart) * size, size);
        } else {
          for (let c = runStart; c < endCol; c++)
            ctx.fillRect(c * size, row * size, size - gap, size - gap);
        }
      };
      for (let col = 0; col < cols; col++) {
        const cell = row * cols + col;
        const colour =
          cell < layout.cells ? (STATE_COLOURS[cellLetter(cell, layout)] ?? '#eee') : '';
        if (colour !== runColour) {
          flush(col);
          runStart = col;
          runColour = colour;
        }
      }
      flush(cols);
    }
    if (gap === 0 && size >= 4) {
      // Small cells drawn as runs: a faint line between rows keeps the rows readable.
      ctx.fillStyle = 'rgba(255,255,255,0.3)';
      for (let row = 1; row < layout.rows; row++) ctx.fillRect(0, row * size - 1, width, 1);
    }
    if (drag) {
      ctx.fillStyle = 'rgba(23,105,170,0.35)';
      for (let cell = selLo; cell <= selHi; cell++) {
        ctx.fillRect((cell % cols) * size, Math.floor(cell / cols) * size, size, size);
      }
    }
    // For tests and benchmarks: the map of this many partitions is on screen.
    canvas.dataset.drawn = String(map.size);
    if (hover && hover.cell < layout.cells && !drag) {
      ctx.strokeStyle = '#0f2537';
      const x = (hover.cell % cols) * size;
      const y = Math.floor(hover.cell / cols) * size;
      if (size >= 8) {
        ctx.lineWidth = 1.5;
        ctx.strokeRect(x + 0.75, y + 0.75, size - gap - 1.5, size - gap - 1.5);
      } else {
        // A ring around a small cell, so the pointer's partition stands out.
        ctx.lineWidth = 2;
        ctx.strokeRect(x - 2, y - 2, size + 4, size + 4);
      }
    }
  }, [layout, width, drag, hover, cellLetter]);

  const cellAt = (event: { clientX: number; clientY: number }): number | undefined => {
    const canvas = canvasRef.current;
    if (canvas === null || layout === undefined) return undefined;
    const rect = canvas.getBoundingClientRect();
    const col = Math.floor((event.clientX - rect.left) / layout.size);
    const row = Math.floor((event.clientY - rect.top) / layout.size);
    if (col < 0 || col >= layout.cols || row < 0 || row >= layout.rows) return undefined;
    const cell = row * layout.cols + col;
    return cell < layout.cells ? cell : undefined;
  };

  // The keys of the partitions under the pointer, a chunk at a time.
  const rangeOf = (cell: number, l: Layout): [number, number] => {
    const start = l.lo + cell * l.per;
    return [start, Math.min(l.hi, start + l.per)];
  };
  const keyAt = (index: number): string | undefined => {
    const chunk = Math.floor(index / KEY_CHUNK);
    return keys.get(chunk)?.[index - chunk * KEY_CHUNK];
  };
  const want = (index: number) => {
    const chunk = Math.floor(index / KEY_CHUNK);
    if (asked.current.has(chunk)) return;
    asked.current.add(chunk);
    const from = chunk * KEY_CHUNK;
    void props.loadKeys(from, Math.min(map.size, from + KEY_CHUNK)).then(
      (loaded) => setKeys((old) => new Map(old).set(chunk, loaded)),
      () => asked.current.delete(chunk),
    );
  };

  // Wheel zoom around the pointer (a listener that may prevent the page from scrolling).
  const viewRef = useRef(view);
  viewRef.current = view;
  const layoutRef = useRef(layout);
  layoutRef.current = layout;
  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas === null) return;
    const onWheel = (event: WheelEvent) => {
      const l = layoutRef.current;
      if (l === undefined) return;
      event.preventDefault();
      const [lo, hi] = viewRef.current;
      const rect = canvas.getBoundingClientRect();
      const col = Math.floor((event.clientX - rect.left) / l.size);
      const row = Math.floor((event.clientY - rect.top) / l.size);
      const cell = Math.min(l.cells - 1, Math.max(0, row * l.cols + col));
      const centre = lo + cell * l.per;
      const factor = event.deltaY < 0 ? 0.6 : 1 / 0.6;
      const span = Math.max(10, Math.min(map.size, Math.round((hi - lo) * factor)));
      const fraction = (centre - lo) / Math.max(1, hi - lo);
      let next = Math.round(centre - fraction * span);
      next = Math.max(0, Math.min(map.size - span, next));
      setView([next, next + span]);
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, [map.size]);

  const hovered = hover && layout ? rangeOf(hover.cell, layout) : undefined;
  const [hoverFrom, hoverTo] = hovered ?? [-1, -1];
  useEffect(() => {
    if (hoverFrom < 0) return;
    want(hoverFrom);
    if (hoverTo - 1 !== hoverFrom) want(hoverTo - 1);
  }, [hoverFrom, hoverTo]);
  const zoomed = view[0] !== 0 || view[1] !== map.size;
  const viewCounts = useMemo(() => {
    const counts: Record<string, number> = { f: 0, s: 0, m: 0, x: 0 };
    if (zoomed) for (let i = view[0]; i < view[1]; i++) counts[map.letters[i]!]!++;
    return counts;
  }, [view, map.letters, zoomed]);

  return (
    <div className="partition-map">
      <div className="map-toolbar">
        <span>
          {zoomed ? (
            <>
              Partitions <strong>{(view[0] + 1).toLocaleString('en-US')}</strong>–
              <strong>{view[1].toLocaleString('en-US')}</strong> of{' '}
              {map.size.toLocaleString('en-US')}
              <span className="subtle">
                {' '}
                ·{' '}
                {Object.entries(viewCounts)
                  .filter(([, n]) => n > 0)
                  .map(([letter, n]) => `${n.toLocaleString('en-US')} ${STATE_NAMES[letter]}`)
                  .join(', ')}
              </span>
            </>
          ) : (
            <>
              All <strong>{map.size.toLocaleString('en-US')}</strong> partitions
              {map.first ? (
                <span className="subtle mono">
                  {' '}
                  {map.first} → {map.last}
                </span>
              ) : null}
            </>
          )}
        </span>
        <span className="map-buttons">
          {layout && layout.per > 1 ? (
            <span className="subtle small">
              1 cell = {layout.per.toLocaleString('en-US')} partitions ·{' '}
            </span>
          ) : null}
          <span className="subtle small">drag or scroll to zoom </span>
          <button
            type="button"
            disabled={!zoomed}
            onClick={() => {
              const span = Math.min(map.size, (view[1] - view[0]) * 3);
              const centre = (view[0] + view[1]) / 2;
              const lo = Math.max(0, Math.min(map.size - span, Math.round(centre - span / 2)));
              setView([lo, lo + span]);
            }}
          >
            Zoom out
          </button>
          <button type="button" disabled={!zoomed} onClick={() => setView([0, map.size])}>
            Reset
          </button>
        </span>
      </div>
      <div ref={wrapRef} className="map-canvas-wrap">
        <canvas
          ref={canvasRef}
          className="map-canvas"
          aria-label={`partition map of ${map.size} partitions`}
          onMouseDown={(event) => {
            const cell = cellAt(event);
            if (cell !== undefined) setDrag({ from: cell, to: cell });
          }}
          onMouseMove={(event) => {
            const cell = cellAt(event);
            if (cell === undefined) {
              setHover(undefined);
              return;
            }
            const rect = wrapRef.current!.getBoundingClientRect();
            setHover({ cell, x: event.clientX - rect.left, y: event.clientY - rect.top });
            if (drag) setDrag({ from: drag.from, to: cell });
          }}
          onMouseLeave={() => {
            setHover(undefined);
            setDrag(undefined);
          }}
          onMouseUp={() => {
            if (drag && layout) {
              const a = Math.min(drag.from, drag.to);
              const b = Math.max(drag.from, drag.to);
              if (b > a || layout.per > 1) {
                const lo = rangeOf(a, layout)[0];
                const hi = rangeOf(b, layout)[1];
                if (hi - lo >= 1) setView([lo, hi]);
              }
            }
            setDrag(undefined);
          }}
        />
        {hover && hovered && layout ? (
          <div
            className="map-tooltip"
            style={{
              left: Math.min(hover.x + 14, width - 230),
              top: hover.y + 16,
            }}
          >
            {hovered[1] - hovered[0] === 1 ? (
              <>
                <div className="mono">{keyAt(hovered[0]) ?? '…'}</div>
                <div>
                  <span
                    className="swatch"
                    style={{ background: STATE_COLOURS[map.letters[hovered[0]]!] }}
                  />
                  {STATE_NAMES[map.letters[hovered[0]]!]} · #{hovered[0].toLocaleString('en-US')}
                </div>
              </>
            ) : (
              <>
                <div className="mono">
                  {keyAt(hovered[0]) ?? '…'} → {keyAt(hovered[1] - 1) ?? '…'}
                </div>
                <div className="subtle">
                  {(hovered[1] - hovered[0]).toLocaleString('en-US')} partitions; click to zoom
                </div>
                <RangeCounts letters={map.letters} from={hovered[0]} to={hovered[1]} />
              </>
            )}
          </div>
        ) : null}
      </div>
    </div>
  );
}

function RangeCounts(props: { letters: string; from: number; to: number }) {
  const counts: Record<string, number> = {};
  for (let i = props.from; i < props.to; i++) {
    const l = props.letters[i]!;
    counts[l] = (counts[l] ?? 0) + 1;
  }
  return (
    <div>
      {Object.entries(counts).map(([letter, n]) => (
        <span key={letter} className="range-count">
          <span className="swatch" style={{ background: STATE_COLOURS[letter] }} />
          {n.toLocaleString('en-US')} {STATE_NAMES[letter]}
        </span>
      ))}
    </div>
  );
}
