/**
 * The lineage canvas: pan by dragging, zoom with the wheel (or pinch), click a node to select
 * it, double-click to open its page. Draws on demand (one frame per change), at the screen's
 * pixel ratio. Exposes `window.__weirGraph` for tests and benchmarks (frame times, where a
 * node is on screen, what state it is drawn in).
 */
import { useEffect, useRef } from 'react';
import { draw, type Emphasis } from './draw';
import { displayState, type Scene } from './scene';
import { fit, toWorld, type View, zoomAt } from './view';

export interface GraphCanvasProps {
  /** What a screen reader announces for the drawing. */
  label: string;
  scene: Scene;
  emphasis: Emphasis;
  /** A node to bring into view (its index), with a counter so the same node can be asked again. */
  focus: { node: number; seq: number } | undefined;
  onSelect: (node: number | undefined) => void;
  onOpen: (node: number) => void;
  onHover: (node: number | undefined) => void;
  /** Changing it fits the whole graph in view. */
  fitSeq: number;
}

interface Probe {
  frames: number[];
  drawn: number;
  view: () => View;
  setView: (view: View) => void;
  screenOf: (key: string) => [number, number] | undefined;
  stateOf: (key: string) => string | undefined;
}

declare global {
  interface Window {
    __weirGraph?: Probe;
  }
}

export function GraphCanvas(props: GraphCanvasProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const viewRef = useRef<View | undefined>(undefined);
  const propsRef = useRef(props);
  propsRef.current = props;
  const frame = useRef<number | undefined>(undefined);
  const size = useRef({ width: 0, height: 0 });

  const render = () => {
    if (frame.current !== undefined) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = undefined;
      const canvas = canvasRef.current;
      const view = viewRef.current;
      if (canvas === null || view === undefined) return;
      const ctx = canvas.getContext('2d')!;
      const ratio = window.devicePixelRatio || 1;
      const started = performance.now();
      ctx.save();
      ctx.scale(ratio, ratio);
      const scaled = { x: view.x * ratio, y: view.y * ratio, scale: view.scale * ratio };
      draw(
        ctx,
        propsRef.current.scene,
        scaled,
        canvas.width,
        canvas.height,
        propsRef.current.emphasis,
        Date.now(),
      );
      ctx.restore();
      const probe = window.__weirGraph;
      if (probe) {
        probe.frames.push(performance.now() - started);
        if (probe.frames.length > 1000) probe.frames.splice(0, 500);
        probe.drawn++;
      }
      canvas.dataset.drawn = String(propsRef.current.scene.nodes.length);
    });
  };

  const nodeAt = (sx: number, sy: number): number | undefined => {
    const view = viewRef.current;
    if (view === undefined) return undefined;
    const [wx, wy] = toWorld(view, sx, sy);
    const { boxes } = propsRef.current.scene;
    for (let n = 0; n < boxes.length; n++) {
      const [x, y, w, h] = boxes[n]!;
      if (wx >= x && wx <= x + w && wy >= y && wy <= y + h) return n;
    }
    return undefined;
  };

  // Size to the container, keep the view's centre on resize.
  useEffect(() => {
    const canvas = canvasRef.current!;
    const observer = new ResizeObserver(() => {
      const { width, height } = canvas.parentElement!.getBoundingClientRect();
      const ratio = window.devicePixelRatio || 1;
      canvas.width = Math.max(1, Math.floor(width * ratio));
      canvas.height = Math.max(1, Math.floor(height * ratio));
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
      size.current = { width, height };
      const { scene } = propsRef.current;
      viewRef.current ??= fit([0, 0, scene.width, scene.height], width, height);
      render();
    });
    observer.observe(canvas.parentElement!);
    window.__weirGraph = {
      frames: [],
      drawn: 0,
      view: () => viewRef.current!,
      setView: (view) => {
        viewRef.current = view;
        render();
      },
      screenOf: (key) => {
        const n = propsRef.current.scene.indexOf.get(key);
        const view = viewRef.current;
        if (n === undefined || view === undefined) return undefined;
        const [x, y, w, h] = propsRef.current.scene.boxes[n]!;
        return [view.x + (x + w / 2) * view.scale, view.y + (y + h / 2) * view.scale];
      },
      stateOf: (key) => {
        const n = propsRef.current.scene.indexOf.get(key);
        return n === undefined ? undefined : displayState(propsRef.current.scene.nodes[n]!);
      },
    };
    return () => {
      observer.disconnect();
      delete window.__weirGraph;
    };
  }, []);

  // Redraw when the data or the emphasis changes.
  useEffect(render, [props.scene, props.emphasis]);

  // Bring a node into view.
  useEffect(() => {
    if (props.focus === undefined) return;
    const [x, y, w, h] = props.scene.boxes[props.focus.node]!;
    const { width, height } = size.current;
    const scale = Math.max(viewRef.current?.scale ?? 1, 0.8);
    viewRef.current = {
      scale,
      x: width / 2 - (x + w / 2) * scale,
      y: height / 2 - (y + h / 2) * scale,
    };
    render();
  }, [props.focus, props.scene]);

  // Fit on request.
  useEffect(() => {
    if (props.fitSeq === 0) return;
    const { width, height } = size.current;
    viewRef.current = fit([0, 0, props.scene.width, props.scene.height], width, height);
    render();
  }, [props.fitSeq]);

  // Pan, zoom, select.
  useEffect(() => {
    const canvas = canvasRef.current!;
    let drag: { x: number; y: number; view: View; moved: boolean } | undefined;
    const local = (event: MouseEvent) => {
      const rect = canvas.getBoundingClientRect();
      return [event.clientX - rect.left, event.clientY - rect.top] as const;
    };
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      if (viewRef.current === undefined) return;
      const [sx, sy] = local(event);
      if (event.ctrlKey || event.metaKey || Math.abs(event.deltaY) > Math.abs(event.deltaX) * 2) {
        viewRef.current = zoomAt(
          viewRef.current,
          Math.exp(-event.deltaY * (event.ctrlKey ? 0.01 : 0.0015)),
          sx,
          sy,
        );
      } else {
        viewRef.current = {
          ...viewRef.current,
          x: viewRef.current.x - event.deltaX,
          y: viewRef.current.y - event.deltaY,
        };
      }
      render();
    };
    const onDown = (event: MouseEvent) => {
      if (event.button !== 0 || viewRef.current === undefined) return;
      const [x, y] = local(event);
      drag = { x, y, view: viewRef.current, moved: false };
    };
    const onMove = (event: MouseEvent) => {
      const [x, y] = local(event);
      if (drag !== undefined) {
        const dx = x - drag.x;
        const dy = y - drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
        viewRef.current = { ...drag.view, x: drag.view.x + dx, y: drag.view.y + dy };
        canvas.style.cursor = 'grabbing';
        render();
        return;
      }
      const hovered = nodeAt(x, y);
      canvas.style.cursor = hovered === undefined ? 'grab' : 'pointer';
      if (hovered !== propsRef.current.emphasis.hovered) propsRef.current.onHover(hovered);
    };
    const onUp = (event: MouseEvent) => {
      if (drag === undefined) return;
      const moved = drag.moved;
      drag = undefined;
      canvas.style.cursor = 'grab';
      if (!moved) {
        const [x, y] = local(event);
        propsRef.current.onSelect(nodeAt(x, y));
      }
    };
    const onDouble = (event: MouseEvent) => {
      const [x, y] = local(event);
      const n = nodeAt(x, y);
      if (n !== undefined) propsRef.current.onOpen(n);
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    canvas.addEventListener('mousedown', onDown);
    window.addEventListener('mousemove', onMove);
    window.addEventListener('mouseup', onUp);
    canvas.addEventListener('dblclick', onDouble);
    return () => {
      canvas.removeEventListener('wheel', onWheel);
      canvas.removeEventListener('mousedown', onDown);
      window.removeEventListener('mousemove', onMove);
      window.removeEventListener('mouseup', onUp);
      canvas.removeEventListener('dblclick', onDouble);
    };
  }, []);

  return <canvas ref={canvasRef} className="graph-canvas" role="img" aria-label={props.label} />;
}
