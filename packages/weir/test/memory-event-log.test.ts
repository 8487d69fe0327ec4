/**
 * The in-memory reference model (test/support/memory-event-log.ts) passes the EventLog
 * conformance suite unchanged: a second backend needs nothing outside its own files.
 */
import { runEventLogConformance } from '../src/testing.js';
import { MemoryEventLog, MemoryEventStore } from './support/memory-event-log.js';

runEventLogConformance({
  name: 'in-memory reference model',
  create: async () => {
    const store = new MemoryEventStore();
    return { log: new MemoryEventLog(store), connect: async () => new MemoryEventLog(store) };
  },
  // The store outlives its connections (within this process: nothing is durable).
  capabilities: { reopen: true, concurrentAppends: true },
});
