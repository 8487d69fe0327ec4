/**
 * @module cli/location-process
 * The process entry of a code location: it loads the location's project as the `weir`
 * command loads a project (its own compiled files, its own dependencies, code versions
 * derived), describes its assets as a manifest and hands it to its parent over the IPC
 * channel, then exits. What the location's code prints while it loads goes to stderr.
 */
import module from 'node:module';
import { WeirError } from '../errors.js';
import { describeLocation } from '../locations/index.js';
import { loadProject } from './load-project.js';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const setup = JSON.parse(process.argv[2] ?? '{}') as { project: string; cwd: string };
const send = (message: unknown) =>
  new Promise<void>((resolve) => {
    process.send!(message, undefined, {}, () => resolve());
  });
try {
  const { project } = await loadProject(setup.cwd, setup.project);
  if (Object.keys(project.locations).length > 0) {
    throw new Error('a code location lists code locations of its own: locations do not nest');
  }
  await send({ type: 'manifest', manifest: describeLocation(project) });
} catch (error) {
  await send({
    type: 'failed',
    message: error instanceof Error ? error.message : String(error),
    ...(error instanceof WeirError && error.hint ? { hint: error.hint } : {}),
  });
}
process.disconnect();
