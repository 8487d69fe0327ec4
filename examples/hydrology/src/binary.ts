/**
 * A compact binary form for values made of JSON and typed arrays (a basin's series, a set of
 * training windows), stored as `io: 'bytes'` artefacts: a JSON header in which each typed
 * array is a reference, then the arrays' bytes, each 8-byte aligned. Decoding copies nothing
 * but the header: arrays are views on the artefact's bytes.
 */

const TYPES = { Float64Array, Float32Array, Uint32Array, Uint16Array, Uint8Array } as const;
type TypeName = keyof typeof TYPES;
type Typed = InstanceType<(typeof TYPES)[TypeName]>;

interface Ref {
  readonly $typed: TypeName;
  readonly offset: number;
  readonly length: number;
}

const MAGIC = 0x57_45_49_52; // "WEIR"

function typeNameOf(value: unknown): TypeName | undefined {
  for (const name of Object.keys(TYPES) as TypeName[])
    if (value instanceof TYPES[name]) return name;
  return undefined;
}

/** `value` as bytes: JSON-compatible data whose leaves may be typed arrays. */
export function encodeBinary(value: unknown): Uint8Array {
  const arrays: Typed[] = [];
  let offset = 0;
  const header = JSON.stringify(value, (_key, v: unknown) => {
    const name = typeNameOf(v);
    if (name === undefined) return v;
    const typed = v as Typed;
    const ref: Ref = { $typed: name, offset, length: typed.length };
    arrays.push(typed);
    offset += align8(typed.byteLength);
    return ref;
  });
  const head = new TextEncoder().encode(header);
  const start = align8(8 + head.length);
  const out = new Uint8Array(start + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, head.length, true);
  out.set(head, 8);
  let at = start;
  for (const typed of arrays) {
    out.set(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength), at);
    at += align8(typed.byteLength);
  }
  return out;
}

/** The value {@link encodeBinary} encoded; typed arrays are views on `bytes` (copied if unaligned). */
export function decodeBinary<T>(bytes: Uint8Array): T {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8 || view.getUint32(0, true) !== MAGIC) {
    throw new Error('not an encoded value (the artefact was written by something else)');
  }
  const length = view.getUint32(4, true);
  const start = align8(8 + length);
  // Views need the buffer offset aligned to the element size: copy once if it is not.
  const body = (bytes.byteOffset + start) % 8 === 0 ? bytes : bytes.slice();
  const header = new TextDecoder().decode(body.subarray(8, 8 + length));
  return JSON.parse(header, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || !('$typed' in v)) return v;
    const ref = v as Ref;
    const Type = TYPES[ref.$typed];
    return new Type(body.buffer as ArrayBuffer, body.byteOffset + start + ref.offset, ref.length);
  }) as T;
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
