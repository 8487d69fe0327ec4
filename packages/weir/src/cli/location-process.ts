/**
 * @module cli/location-process
 * The process entry of a code location: it loads the location's project as the `weir`
 * command loads a project (its own compiled files, its own dependencies, code versions
 * derived), describes its assets as a manifest and hands it to its parent over the IPC
 * channel, then exits. What the location's code prints while it loads goes to stderr.
 */
import module from 'node:module';
import { DefinitionError, WeirError } from '../errors.js';
import { graphOf } from '../execution/index.js';
import { describeLocation } from '../locations/index.js';
import { loadProject } from './load-project.js';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const setup = JSON.parse(process.argv[2] ?? '{}') as { project: string; cwd: string };
const send = (message: unknown) =>
  new Promise<void>((resolve) => {
    process.send!(message, undefined, {}, () => resolve());
  });
// Its parent gone (Ctrl-C, a crash), it has nothing to answer: end at once.
process.on('disconnect', () => process.exit(0));
try {
  const { project } = await loadProject(setup.cwd, setup.project, { asLocation: true });
  // Checked as the location's own graph, as `weir` in its folder would: an upstream taken from
  // another location's code instead of an externalAsset() is refused here.
  try {
    graphOf(project);
  } catch (error) {
    if (!(error instanceof DefinitionError) || !/which is not in the project/.test(error.message)) {
      throw error;
    }
    throw new DefinitionError(error.code, error.message, {
      hint: 'in a code location, read an asset of another location with externalAsset(key), listed in assets (importing its definition would run that location’s code here)',
    });
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
