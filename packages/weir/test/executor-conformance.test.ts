/**
 * The executor conformance suite against the executors Weir ships: in this process, and in a
 * pool of child processes (which load the suite's project from disk).
 */
import { fileURLToPath } from 'node:url';
import { childProcessExecutor, inProcessExecutor } from '../src/index.js';
import { runExecutorConformance } from '../src/testing.js';

// Inside the workspace, so the project's `import 'weir'` resolves through node_modules.
const projectsDir = fileURLToPath(new URL('../.test-projects/', import.meta.url));

runExecutorConformance({ name: 'in-process', projectsDir, executor: () => inProcessExecutor });

runExecutorConformance({
  name: 'child processes',
  projectsDir,
  executor: ({ file, instanceDir }) =>
    childProcessExecutor({ project: file, instanceDir, processes: 2 }),
});
