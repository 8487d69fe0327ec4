/**
 * @module @weir/queue
 * Weir's queue executor on graphile-worker: steps queued in PostgreSQL, routed by their
 * assets' worker tags to `runWorker` processes on any machine.
 */
export {
  type QueueExecutor,
  type QueueExecutorOptions,
  queueExecutor,
  type UnclaimedStep,
} from './queue-executor.js';
export { MAX_WORKER_TAGS, STEP_TASK, stepTask, workerTasks } from './routing.js';
export {
  type QueueWorker,
  runWorker,
  type StopOptions,
  type WorkerOptions,
  type WorkerStep,
} from './worker.js';
