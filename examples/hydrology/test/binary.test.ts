import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBinary, encodeBinary } from '../src/binary.js';

describe('binary codec', () => {
  it('round-trips JSON with typed arrays of every kind, bit for bit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double()),
        fc.array(fc.float()),
        fc.uint8Array(),
        fc.array(fc.integer({ min: 0, max: 65535 })),
        fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean())),
        (f64, f32, u8, u16, meta) => {
          const value = {
            meta,
            series: [{ a: Float64Array.from(f64), b: Float32Array.from(f32) }],
            u8,
            u16: Uint16Array.from(u16),
            u32: Uint32Array.from(u16),
          };
          const back = decodeBinary<typeof value>(encodeBinary(value));
          expect(back.meta).toEqual(meta);
          expect(
            new Uint8Array(
              back.series[0]!.a.buffer,
              back.series[0]!.a.byteOffset,
              back.series[0]!.a.byteLength,
            ),
          ).toEqual(new Uint8Array(value.series[0]!.a.buffer));
          expect([...back.series[0]!.b]).toEqual([...value.series[0]!.b]);
          expect([...back.u8]).toEqual([...u8]);
          expect([...back.u16]).toEqual(u16);
          expect([...back.u32]).toEqual(u16);
        },
      ),
    );
  });

  it('decodes from an unaligned slice and refuses foreign bytes', () => {
    const bytes = encodeBinary({ x: new Float64Array([1.5, Number.NaN]) });
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const back = decodeBinary<{ x: Float64Array }>(shifted.subarray(3));
    expect(back.x[0]).toBe(1.5);
    expect(Number.isNaN(back.x[1])).toBe(true);
    expect(() => decodeBinary(new TextEncoder().encode('{"x":1}'))).toThrow(/not an encoded value/);
  });
});
