/**
 * Regressions found reviewing issue 13: an instance assembled from parts says which part is
 * missing when it is made, not as a failure of the first asset that needs it.
 */
import { describe, expect, it } from 'vitest';
import { createInstance, EnvironmentError, type InstanceParts } from '../src/index.js';
import { tempInstance } from './helpers.js';

describe('createInstance', () => {
  it('names a missing or malformed part', () => {
    const { eventLog, artefacts } = tempInstance();
    const cases: Array<[Partial<InstanceParts>, string]> = [
      [{ artefacts }, 'eventLog'],
      [{ eventLog }, 'artefacts'],
      [{ eventLog: {} as never, artefacts }, 'eventLog'],
      [{ eventLog, artefacts, executor: {} as never }, 'executor'],
    ];
    for (const [parts, missing] of cases) {
      expect(() => createInstance(parts as InstanceParts)).toThrow(EnvironmentError);
      expect(() => createInstance(parts as InstanceParts)).toThrow(`createInstance: ${missing}`);
    }
    expect(createInstance({ eventLog, artefacts }).executor.name).toBe('in-process');
  });
});
