/** Pan and zoom: world coordinates (the layout's pixels) to screen pixels and back. */
export interface View {
  x: number;
  y: number;
  scale: number;
}

export const MIN_SCALE = 0.01;
export const MAX_SCALE = 2.5;

export function toWorld(view: View, sx: number, sy: number): [number, number] {
  return [(sx - view.x) / view.scale, (sy - view.y) / view.scale];
}

/** Fitting never zooms in past this: a small graph is shown at a natural size. */
const FIT_MAX_SCALE = 1.1;

/** The view that shows the world rectangle `[x, y, w, h]` in a `width`×`height` screen. */
export function fit(
  rect: [number, number, number, number],
  width: number,
  height: number,
  margin = 40,
): View {
  const [x, y, w, h] = rect;
  const scale = Math.min(
    FIT_MAX_SCALE,
    Math.max(
      MIN_SCALE,
      Math.min((width - 2 * margin) / Math.max(w, 1), (height - 2 * margin) / Math.max(h, 1)),
    ),
  );
  return { scale, x: (width - w * scale) / 2 - x * scale, y: (height - h * scale) / 2 - y * scale };
}

/** Zooms by `factor` around the screen point (sx, sy). */
export function zoomAt(view: View, factor: number, sx: number, sy: number): View {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.scale * factor));
  const [wx, wy] = toWorld(view, sx, sy);
  return { scale, x: sx - wx * scale, y: sy - wy * scale };
}
