/**
 * The EventLog conformance suite, unchanged, on a real PostgreSQL server: one server for this
 * file, one database for the run, and each case's log in a schema of its own (a new, empty
 * log; `connect()` opens more connections to the same schema).
 */
import { afterAll, beforeAll } from 'vitest';
import { runEventLogConformance } from 'weir/testing';
import { PostgresEventLog } from '../src/index.js';
import { startTestServer, type TestServer } from './_server.js';

let server: TestServer;
let url: string;
let logs = 0;

beforeAll(async () => {
  server = await startTestServer();
  url = server.url(await server.createDatabase('weir_conformance'));
});

afterAll(async () => {
  await server?.stop();
});

runEventLogConformance({
  name: 'PostgreSQL',
  create: async () => {
    const schema = `log_${++logs}`;
    const open = () => PostgresEventLog.open({ connectionString: url, schema });
    return { log: await open(), connect: open };
  },
  capabilities: { reopen: true, concurrentAppends: true },
});
