/**
 * @module execution/child-process-serve
 * The child's side of the child-process executor: once `start` has loaded the project and
 * opened the instance, it runs the tickets its parent sends, one at a time, handing back
 * their events, logs and outcomes. Ctrl-C in a terminal reaches every process of the group:
 * a child leaves it to its parent, which cancels its units. It ends when its parent closes
 * it or goes away.
 */
import type { ProjectDefinition } from '../definitions/index.js';
import {
  CHILD_SETUP_VARIABLE,
  type ChildSetup,
  type FromChild,
  type ToChild,
} from './_child-protocol.js';
import { toErrorInfo } from './_errors.js';
import type { Instance } from './instance.js';
import { TicketRunner } from './ticket-runner.js';

export type { ChildSetup } from './_child-protocol.js';

/** Loads the project and opens the instance a child runs units against. */
export type ChildStart = (setup: ChildSetup) => Promise<{
  project: ProjectDefinition;
  instance: Pick<Instance, 'eventLog' | 'artefacts' | 'close'>;
}>;

/** Serves the parent of this process (which must have an IPC channel) until it goes away. */
export async function serveChildProcess(start: ChildStart): Promise<void> {
  const send = (message: FromChild) =>
    new Promise<void>((resolve) => {
      if (!process.connected) return resolve();
      process.send!(message, undefined, {}, () => resolve());
    });
  process.on('SIGINT', () => {});
  process.on('disconnect', () => process.exit(0));
  const setup = JSON.parse(process.env[CHILD_SETUP_VARIABLE] ?? '{}') as ChildSetup;
  // Not for the steps' eyes (it may hold a database URL with its password).
  delete process.env[CHILD_SETUP_VARIABLE];
  let opened: Awaited<ReturnType<ChildStart>>;
  try {
    opened = await start(setup);
  } catch (error) {
    await send({ type: 'start-failed', error: toErrorInfo(error) });
    process.disconnect();
    return;
  }
  const runner = new TicketRunner(opened.project, opened.instance);
  const jobs = new Map<number, AbortController>();
  process.on('message', (message: ToChild) => {
    switch (message.type) {
      case 'run': {
        const controller = new AbortController();
        jobs.set(message.job, controller);
        const { job } = message;
        void runner
          .run(message.ticket, {
            signal: controller.signal,
            onEvent: (event) => void send({ type: 'events', job, events: [event] }),
            onLog: (assetKey, entry) => void send({ type: 'log', job, assetKey, entry }),
          })
          .then((outcome) => {
            jobs.delete(job);
            return send({ type: 'done', job, outcome });
          });
        return;
      }
      case 'cancel':
        jobs.get(message.job)?.abort();
        return;
      case 'release':
        void runner.releaseRun(message.runId).then((errors) => {
          send({ type: 'released', runId: message.runId, errors: errors.map(toErrorInfo) });
        });
        return;
      case 'close':
        for (const controller of jobs.values()) controller.abort();
        void runner
          .close()
          .then(() => opened.instance.close())
          .finally(() => process.disconnect());
        return;
    }
  });
  await send({ type: 'ready' });
}
