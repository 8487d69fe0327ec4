/**
 * @module cli/step-process
 * The process entry of a child of the child-process executor's pool: it loads the project
 * as the `weir` command does (same compiled files, same code versions) and opens the
 * instance, once: the embedded one its parent names, else the configured one (the child has
 * its parent's project and environment, so it resolves the same; docs/instance.md). Then it
 * runs the units its parent sends (see execution/child-process-serve.ts).
 */
import module from 'node:module';
import { serveChildProcess } from '../execution/index.js';
import { openChildInstance } from './_child-instance.js';
import { loadProject } from './load-project.js';

// As bin/weir.js does (Node 22.1+; not in Node 20's types).
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

await serveChildProcess(async (setup) => {
  const loaded = await loadProject(setup.cwd, setup.project);
  return { project: loaded.project, instance: await openChildInstance(setup, loaded) };
});
