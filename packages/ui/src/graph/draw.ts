/**
 * Drawing the graph on a 2D canvas with level of detail: close up, each node is a card (key,
 * state, when, badges); further out, a coloured block with its key if it fits; far out, a
 * coloured dot. Only what is in view is drawn, and edges are batched into one path per style.
 */
import type { GraphNodeBody } from '../api';
import { ago } from '../components/format';
import { displayState, type Scene, STATE_COLORS } from './scene';
import type { View } from './view';

export interface Emphasis {
  selected: number | undefined;
  /** The selected node's upstream and downstream (drawn in full; the rest is faded). */
  related: Set<number> | undefined;
  /** Nodes outside the selection filter (faded). */
  filtered: Set<number> | undefined;
  hovered: number | undefined;
}

const CARD_SCALE = 0.45;
const LABEL_SCALE = 0.18;

export function draw(
  ctx: CanvasRenderingContext2D,
  scene: Scene,
  view: View,
  width: number,
  height: number,
  emphasis: Emphasis,
  now: number,
): void {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.setTransform(view.scale, 0, 0, view.scale, view.x, view.y);
  const left = -view.x / view.scale;
  const top = -view.y / view.scale;
  const right = left + width / view.scale;
  const bottom = top + height / view.scale;
  const visible = (x: number, y: number, w: number, h: number) =>
    x + w >= left && x <= right && y + h >= top && y <= bottom;
  const faded = (n: number) =>
    (emphasis.related !== undefined && n !== emphasis.selected && !emphasis.related.has(n)) ||
    (emphasis.filtered !== undefined && !emphasis.filtered.has(n));

  drawGroups(ctx, scene, view, visible);
  drawEdges(ctx, scene, view, visible, faded, emphasis);
  const card = view.scale >= CARD_SCALE;
  const label = !card && view.scale >= LABEL_SCALE;
  for (let n = 0; n < scene.nodes.length; n++) {
    const [x, y, w, h] = scene.boxes[n]!;
    if (!visible(x, y, w, h)) continue;
    const node = scene.nodes[n]!;
    ctx.globalAlpha = faded(n) ? 0.18 : 1;
    if (card) drawCard(ctx, node, x, y, w, h, n === emphasis.selected, n === emphasis.hovered, now);
    else drawBlock(ctx, node, x, y, w, h, label, n === emphasis.selected, view.scale);
  }
  ctx.globalAlpha = 1;
}

function drawGroups(
  ctx: CanvasRenderingContext2D,
  scene: Scene,
  view: View,
  visible: (x: number, y: number, w: number, h: number) => boolean,
): void {
  ctx.lineWidth = 1 / view.scale;
  for (const group of scene.groups) {
    if (!visible(group.x, group.y, group.width, group.height)) continue;
    ctx.fillStyle = 'rgba(23, 105, 170, 0.045)';
    ctx.strokeStyle = 'rgba(23, 105, 170, 0.28)';
    roundRect(ctx, group.x, group.y, group.width, group.height, 10);
    ctx.fill();
    ctx.stroke();
    const size = Math.max(13, 12 / view.scale);
    ctx.font = `600 ${size}px Inter, system-ui, sans-serif`;
    ctx.fillStyle = '#24506f';
    ctx.textBaseline = 'top';
    ctx.fillText(group.name, group.x + 12, group.y + 6, group.width - 24);
  }
}

function drawEdges(
  ctx: CanvasRenderingContext2D,
  scene: Scene,
  view: View,
  visible: (x: number, y: number, w: number, h: number) => boolean,
  faded: (n: number) => boolean,
  emphasis: Emphasis,
): void {
  const normal = new Path2D();
  const dim = new Path2D();
  const strong = new Path2D();
  let count = 0;
  for (const [from, to] of scene.edges) {
    const a = scene.boxes[from]!;
    const b = scene.boxes[to]!;
    const x1 = a[0] + a[2];
    const y1 = a[1] + a[3] / 2;
    const x2 = b[0];
    const y2 = b[1] + b[3] / 2;
    if (!visible(Math.min(x1, x2), Math.min(y1, y2), Math.abs(x2 - x1), Math.abs(y2 - y1)))
      continue;
    const related =
      emphasis.selected !== undefined &&
      (from === emphasis.selected ||
        to === emphasis.selected ||
        (emphasis.related!.has(from) && emphasis.related!.has(to)) ||
        (emphasis.related!.has(from) && to === emphasis.selected) ||
        (from === emphasis.selected && emphasis.related!.has(to)));
    const path = related ? strong : faded(from) || faded(to) ? dim : normal;
    const bend = Math.max(30, (x2 - x1) / 2);
    path.moveTo(x1, y1);
    path.bezierCurveTo(x1 + bend, y1, x2 - bend, y2, x2, y2);
    count++;
  }
  if (count === 0) return;
  ctx.lineWidth = Math.max(1, 1.2 / view.scale) * (view.scale < LABEL_SCALE ? 0.6 : 1);
  ctx.strokeStyle =
    view.scale < LABEL_SCALE ? 'rgba(90, 105, 125, 0.22)' : 'rgba(90, 105, 125, 0.55)';
  ctx.stroke(normal);
  ctx.strokeStyle = 'rgba(90, 105, 125, 0.1)';
  ctx.stroke(dim);
  ctx.lineWidth = Math.max(2, 2.2 / view.scale);
  ctx.strokeStyle = '#1769aa';
  ctx.stroke(strong);
}

function drawCard(
  ctx: CanvasRenderingContext2D,
  node: GraphNodeBody,
  x: number,
  y: number,
  w: number,
  h: number,
  selected: boolean,
  hovered: boolean,
  now: number,
): void {
  const state = displayState(node);
  const color = STATE_COLORS[state] ?? STATE_COLORS.missing!;
  ctx.fillStyle = '#ffffff';
  ctx.strokeStyle = selected ? '#1769aa' : hovered ? '#8fb3d1' : '#d3dae4';
  ctx.lineWidth = selected ? 2.5 : 1;
  roundRect(ctx, x, y, w, h, 6);
  ctx.fill();
  ctx.stroke();
  ctx.fillStyle = color;
  roundRect(ctx, x, y, 6, h, [6, 0, 0, 6]);
  ctx.fill();
  if (node.kind === 'source') {
    ctx.setLineDash([4, 3]);
    ctx.strokeStyle = '#9aa6b6';
    ctx.lineWidth = 1;
    roundRect(ctx, x + 0.5, y + 0.5, w - 1, h - 1, 6);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  const slash = node.key.lastIndexOf('/');
  const name = slash >= 0 ? node.key.slice(slash + 1) : node.key;
  const prefix = slash >= 0 ? node.key.slice(0, slash + 1) : '';
  ctx.textBaseline = 'alphabetic';
  ctx.font = '600 13px Inter, system-ui, sans-serif';
  ctx.fillStyle = '#17202c';
  const nameWidth = Math.min(ctx.measureText(name).width, w - 22);
  ctx.font = '12px Inter, system-ui, sans-serif';
  ctx.fillStyle = '#8a94a6';
  const prefixRoom = w - 22 - nameWidth;
  if (prefix && prefixRoom > 20) ctx.fillText(clip(ctx, prefix, prefixRoom), x + 14, y + 18);
  const prefixWidth =
    prefix && prefixRoom > 20 ? Math.min(ctx.measureText(prefix).width, prefixRoom) : 0;
  ctx.font = '600 13px Inter, system-ui, sans-serif';
  ctx.fillStyle = '#17202c';
  ctx.fillText(clip(ctx, name, w - 22 - prefixWidth), x + 14 + prefixWidth, y + 18);
  ctx.font = '11.5px Inter, system-ui, sans-serif';
  ctx.fillStyle = color;
  const stateText = node.partitions
    ? `${state} · ${node.partitions.fresh}/${total(node.partitions)} fresh`
    : state;
  const when = node.materializedAt
    ? ago(node.materializedAt, now)
    : node.kind === 'source'
      ? 'source'
      : '';
  // The state on the left gets what the time on the right leaves.
  const whenWidth = when === '' ? 0 : ctx.measureText(when).width + 10;
  ctx.fillText(clip(ctx, stateText, w - 22 - whenWidth), x + 14, y + 35);
  ctx.fillStyle = '#8a94a6';
  ctx.textAlign = 'right';
  ctx.fillText(when, x + w - 8, y + 35);
  ctx.textAlign = 'left';
  if (node.partitions) drawPartitionBar(ctx, node.partitions, x + 6, y + h - 3, w - 12, 3);
}

function drawBlock(
  ctx: CanvasRenderingContext2D,
  node: GraphNodeBody,
  x: number,
  y: number,
  w: number,
  h: number,
  label: boolean,
  selected: boolean,
  scale: number,
): void {
  const color = STATE_COLORS[displayState(node)] ?? STATE_COLORS.missing!;
  ctx.fillStyle = color;
  ctx.fillRect(x, y, w, h);
  if (selected) {
    ctx.strokeStyle = '#0b2a44';
    ctx.lineWidth = 4 / scale;
    ctx.strokeRect(x, y, w, h);
  }
  if (label) {
    ctx.fillStyle = '#ffffff';
    ctx.font = `600 ${Math.min(30, 11 / scale)}px Inter, system-ui, sans-serif`;
    ctx.textBaseline = 'middle';
    // The key's last part names the asset; its folders are the same for a whole column.
    const name = node.key.slice(node.key.lastIndexOf('/') + 1);
    ctx.fillText(clip(ctx, name, w - 12), x + 6, y + h / 2);
  }
}

function drawPartitionBar(
  ctx: CanvasRenderingContext2D,
  counts: NonNullable<GraphNodeBody['partitions']>,
  x: number,
  y: number,
  w: number,
  h: number,
): void {
  const sum = total(counts);
  if (sum === 0) return;
  let at = x;
  for (const state of ['fresh', 'stale', 'failed', 'missing'] as const) {
    const part = (counts[state] / sum) * w;
    if (part <= 0) continue;
    ctx.fillStyle = STATE_COLORS[state]!;
    ctx.fillRect(at, y, part, h);
    at += part;
  }
}

const total = (c: NonNullable<GraphNodeBody['partitions']>) =>
  c.fresh + c.stale + c.missing + c.failed;

function clip(ctx: CanvasRenderingContext2D, text: string, room: number): string {
  if (ctx.measureText(text).width <= room) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= room) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}

/** A rounded rectangle as the current path (the canvas' own roundRect: radii clockwise from top-left). */
function roundRect(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  w: number,
  h: number,
  radii: number | number[],
): void {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, radii);
}
