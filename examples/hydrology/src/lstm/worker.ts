/**
 * @module lstm/worker
 * A worker thread's entry: bundled by `npm run build -w @weir/example-hydrology` into
 * dist/lstm-worker.mjs, which {@link ./worker-pool.ts} starts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerRequest, WorkerResponse, WorkerSetup } from './protocol.js';
import { datasetOf, ShardComputer } from './shard.js';

const setup = workerData as WorkerSetup;
const computer = new ShardComputer(setup.module, setup.hidden);
const port = parentPort!;

function handle(request: WorkerRequest): WorkerResponse {
  const data = datasetOf(setup.datasets, request.dataset);
  if (request.kind === 'gradient') {
    const { loss, grads } = computer.gradient(request.params, data, request.shard);
    return { id: request.id, kind: 'gradient', loss, grads };
  }
  const out = computer.predict(request.params, data, request.start, request.end);
  return { id: request.id, kind: 'predict', out };
}

port.on('message', (request: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    response = handle(request);
  } catch (error) {
    response = { id: request.id, kind: 'error', message: String(error) };
  }
  const transfer: ArrayBuffer[] = [];
  if (response.kind === 'gradient') transfer.push(response.grads.buffer as ArrayBuffer);
  if (response.kind === 'predict') transfer.push(response.out.buffer as ArrayBuffer);
  port.postMessage(response, transfer);
});
