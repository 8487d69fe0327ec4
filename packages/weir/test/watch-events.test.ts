/** watchEvents: what another connection appends is seen, in order, once; a filter holds; abort ends it. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openInstance, type StoredEvent, type WeirEvent, watchEvents } from '../src/index.js';
import { tempDir } from './helpers.js';

const observed = (version: string): WeirEvent => ({
  type: 'asset:observed',
  assetKey: 'raw',
  partition: '',
  timestamp: Date.now(),
  observation: { dataVersion: version, metadata: {} },
});

describe('watchEvents', () => {
  it('yields what another connection appends, in order and once, as far as the filter lets through', async () => {
    const dir = join(tempDir(), '.weir');
    const reader = openInstance({ dir });
    const writer = openInstance({ dir });
    await writer.eventLog.append([observed('before')]);
    const controller = new AbortController();
    const seen: StoredEvent[] = [];
    const watching = (async () => {
      for await (const events of watchEvents(reader, {
        signal: controller.signal,
        filter: { types: ['asset:observed'] },
        pollMs: 5,
      })) {
        seen.push(...events);
        if (seen.length >= 1_205) controller.abort();
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 30));
    for (let i = 0; i < 1_200; i += 300) {
      await writer.eventLog.append(Array.from({ length: 300 }, (_, j) => observed(`v${i + j}`)));
      await writer.eventLog.append([{ type: 'automation:paused', name: 'x', timestamp: 1 }]);
    }
    await writer.eventLog.append(Array.from({ length: 5 }, (_, j) => observed(`w${j}`)));
    await watching;
    const versions = seen.map((e) => (e as StoredEvent<'asset:observed'>).observation.dataVersion);
    expect(versions).toHaveLength(1_205);
    expect(new Set(versions).size).toBe(1_205);
    expect(versions[0]).toBe('v0');
    expect(versions.includes('before')).toBe(false);
    expect(seen.map((e) => e.id)).toEqual([...seen.map((e) => e.id)].sort((a, b) => a - b));
    await reader.close();
    await writer.close();
  });
});
