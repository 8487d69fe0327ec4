/**
 * @module artefacts/conformance/addressing
 * The ArtefactStore conformance suite's cases on content addressing: same bytes, same location; reads checked against the address.
 */
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../hash.js';
import type { ArtefactStore } from '../artefact-store.js';
import { binary, collect, type Kit, text } from './_kit.js';

export function addressingCases<S extends ArtefactStore>({ withStore }: Kit<S>): void {
  describe('content addressing', () => {
    it(
      'putBytes names the bytes by their SHA-256: same bytes, same location; stored once',
      withStore(async (store) => {
        const bytes = text('{"peak":3.25}');
        const first = await store.putBytes(bytes, { label: 'gauges/peaks' });
        expect(first).toMatchObject({ contentHash: sha256(bytes), size: 13, type: 'blob' });
        expect(typeof first.location).toBe('string');
        expect(first.location).toContain(sha256(bytes));
        const again = await store.putBytes(text('{"peak":3.25}'));
        expect(again).toEqual(first);
        const other = await store.putBytes(text('{"peak":3.26}'));
        expect(other.location).not.toBe(first.location);
        const listed = await collect(store);
        expect(listed.map((o) => o.location).sort()).toEqual(
          [first.location, other.location].sort(),
        );
      }),
    );

    it(
      'reads back exactly what was stored: empty, text and binary bytes',
      withStore(async (store) => {
        for (const bytes of [new Uint8Array(0), text('héllo, wörld'), binary(1 << 20, 7)]) {
          const { location, size } = await store.putBytes(bytes);
          expect(size).toBe(bytes.byteLength);
          expect(Buffer.from(await store.read(location)).equals(Buffer.from(bytes))).toBe(true);
          expect(await store.exists(location)).toBe(true);
        }
      }),
    );

    it(
      'keeps the bytes as they were when put, whatever the caller does with its buffer after',
      withStore(async (store) => {
        const bytes = text('before');
        const { location } = await store.putBytes(bytes);
        bytes.set(text('AFTER!'));
        expect(new TextDecoder().decode(await store.read(location))).toBe('before');
      }),
    );

    it(
      'concurrent puts of the same bytes agree on one location and store one object',
      withStore(async (store) => {
        const bytes = binary(64 * 1024, 3);
        const stored = await Promise.all(
          Array.from({ length: 8 }, () => store.putBytes(bytes.slice())),
        );
        expect(new Set(stored.map((s) => s.location)).size).toBe(1);
        expect(await collect(store)).toHaveLength(1);
        expect(Buffer.from(await store.read(stored[0]!.location)).equals(bytes)).toBe(true);
      }),
    );
  });
}
