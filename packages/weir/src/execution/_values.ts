/**
 * @module execution/_values
 * The value downstream code receives for a materialization, read from the artefact store and
 * checked against its content hash; an artefact that cannot be read is named with its asset.
 */
import {
  ArtefactError,
  type ArtefactProblem,
  type ArtefactStore,
  decodeValue,
} from '../artefacts/index.js';
import { type FileArtefact, unitLabel } from '../definitions/index.js';
import type { ArtefactLocation } from '../storage/index.js';

/** A materialization as far as reading its value needs it (a full event or an index summary). */
export interface ValueSource {
  assetKey?: string;
  partition?: string;
  materialization: {
    /** When it was recorded as stored: a `files` artefact modified after it is hashed. */
    endedAt?: number;
    artefact: Pick<ArtefactLocation, 'format' | 'location' | 'type'>;
  };
}

/** The value downstream code (and checks) receive for a materialization, read from the store. */
export async function loadValue(
  artefacts: ArtefactStore,
  event: ValueSource,
  read: (location: string) => Promise<Uint8Array> = (location) => artefacts.read(location),
): Promise<unknown> {
  const { artefact, endedAt } = event.materialization;
  try {
    if (artefact.format === 'files') {
      const files: FileArtefact = {
        path: await artefacts.localPath(
          artefact.location,
          endedAt === undefined ? {} : { storedAt: endedAt },
        ),
        type: artefact.type === 'directory' ? 'directory' : 'file',
      };
      return files;
    }
    const bytes = await read(artefact.location);
    try {
      return decodeValue(artefact.format, bytes);
    } catch (error) {
      throw new ArtefactError('unreadable', `is not valid JSON (${(error as Error).message})`, {
        location: artefact.location,
        cause: error,
      });
    }
  } catch (error) {
    throw whose(error, event);
  }
}

/**
 * An artefact error restated with the asset (and partition) it belongs to, and the fix. A store
 * that could not be read (unreachable, credentials, permissions) and said what to check keeps
 * its own message and hint: rebuilding the artefact would not help, and fails the same way.
 */
export function whose(error: unknown, event: ValueSource): unknown {
  if (!(error instanceof ArtefactError) || event.assetKey === undefined) return error;
  const { assetKey, partition = '' } = event;
  const location = event.materialization.artefact.location;
  const label = unitLabel(assetKey, [partition]);
  if (error.problem !== 'corrupt' && error.problem !== 'missing' && error.hint !== undefined) {
    return new ArtefactError(
      error.problem,
      `the artefact of ${label} (${location}) cannot be read: ${error.message}`,
      { location, cause: error, hint: error.hint },
    );
  }
  const target = partition === '' ? assetKey : `${assetKey} --partition ${partition}`;
  return new ArtefactError(
    error.problem,
    `the artefact of ${label} (${location}) ${what(error.problem, error.message, error.cause)}`,
    {
      location,
      cause: error,
      hint: `rebuild it from its recorded inputs with 'weir verify ${target} --repair', or make a new version with 'weir materialize ${target} --force'`,
    },
  );
}

function what(problem: ArtefactProblem, message: string, cause?: unknown): string {
  switch (problem) {
    case 'corrupt':
      return 'is corrupt: its content no longer hashes to the version that was recorded';
    case 'missing':
      return 'is missing from the artefact store';
    default:
      if (message.startsWith('is ')) return message;
      return `cannot be read: ${cause instanceof Error ? cause.message : message}`;
  }
}
