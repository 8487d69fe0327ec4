/**
 * @module cli/check-process
 * The process entry that evaluates the checks of a code location's assets where their code
 * is (`weir check` on a located asset): it loads the location's project as a step's process
 * does, opens the project's instance its parent hands over (in the environment, as a step's
 * process gets it: it may hold a password), evaluates and records the checks of the keys it
 * is given, and sends the results back over the IPC channel.
 */
import module from 'node:module';
import { WeirError } from '../errors.js';
import { CHILD_SETUP_VARIABLE, type ChildSetup, checkAssets } from '../execution/index.js';
import { openChildInstance } from './_child-instance.js';
import type { CheckRequest, FromCheckProcess } from './_location-checks.js';
import { loadProject } from './load-project.js';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const send = (message: FromCheckProcess) =>
  new Promise<void>((resolve) => {
    process.send!(message, undefined, {}, () => resolve());
  });
process.on('disconnect', () => process.exit(0));
// The channel to the parent must not keep this process alive: a check that waits on a promise
// nothing settles then ends it (exit 13, which the parent explains) instead of hanging both.
(process.channel as { unref?: () => void } | undefined)?.unref?.();
const setup = JSON.parse(process.env[CHILD_SETUP_VARIABLE] ?? '{}') as ChildSetup;
delete process.env[CHILD_SETUP_VARIABLE];
const request = JSON.parse(process.argv[2] ?? '{}') as CheckRequest;
try {
  const loaded = await loadProject(setup.cwd, setup.project);
  const instance = await openChildInstance(setup, loaded);
  try {
    const results = await checkAssets(loaded.project, {
      instance,
      selection: request.keys,
      ...(request.partitions === undefined ? {} : { partitions: request.partitions }),
      ...(request.now === undefined ? {} : { now: request.now }),
    });
    await send({ type: 'results', results });
  } finally {
    await instance.close();
  }
} catch (error) {
  await send({
    type: 'failed',
    message: error instanceof Error ? error.message : String(error),
    ...(error instanceof WeirError
      ? { code: error.code, ...(error.hint === undefined ? {} : { hint: error.hint }) }
      : {}),
  });
}
process.disconnect();
