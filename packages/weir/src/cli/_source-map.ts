/**
 * @module cli/_source-map
 * Decoding and encoding the `mappings` of a source map (base64 VLQ), with absolute values:
 * per generated line, segments `[column, source, line, column, name?]`.
 */

export type Segment = number[];

const CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = new Map([...CHARS].map((c, i) => [c, i]));

export function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  const state = [0, 0, 0, 0, 0];
  for (const line of mappings.split(';')) {
    const segments: Segment[] = [];
    state[0] = 0;
    if (line !== '') {
      for (const text of line.split(',')) {
        const fields = decodeVlq(text);
        const segment: Segment = [];
        fields.forEach((delta, i) => {
          state[i] = state[i]! + delta;
          segment.push(state[i]!);
        });
        segments.push(segment);
      }
    }
    lines.push(segments);
  }
  return lines;
}

export function encodeMappings(lines: readonly Segment[][]): string {
  const state = [0, 0, 0, 0, 0];
  return lines
    .map((segments) => {
      state[0] = 0;
      return segments
        .map((segment) =>
          segment
            .map((value, i) => {
              const delta = value - state[i]!;
              state[i] = value;
              return encodeVlq(delta);
            })
            .join(''),
        )
        .join(',');
    })
    .join(';');
}

function decodeVlq(text: string): number[] {
  const values: number[] = [];
  let shift = 0;
  let value = 0;
  for (const char of text) {
    const digit = VALUES.get(char);
    if (digit === undefined) throw new Error(`bad VLQ character '${char}'`);
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2);
    shift = 0;
    value = 0;
  }
  return values;
}

function encodeVlq(delta: number): string {
  let value = delta < 0 ? -delta * 2 + 1 : delta * 2;
  let out = '';
  do {
    let digit = value % 32;
    value = Math.floor(value / 32);
    if (value > 0) digit += 32;
    out += CHARS[digit];
  } while (value > 0);
  return out;
}
