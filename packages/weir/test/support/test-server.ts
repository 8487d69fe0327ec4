/**
 * A real server for the API tests: on a temporary instance (or the one given), any free port,
 * a fast event hub, silent, closed after the test; with `tokens`, an operator and a viewer
 * token. `call` sends JSON bodies with their content type and a token when given one.
 */
import { afterEach } from 'vitest';
import type { Instance, ProjectDefinition } from '../../src/index.js';
import { type RunningServer, type ServerOptions, startServer } from '../../src/server/index.js';
import { tempInstance } from '../helpers.js';

export const OPERATOR = 'operator-token-0123456789abcdef';
export const VIEWER = 'viewer-token-0123456789abcdef';

export interface TestServer {
  instance: Instance;
  server: RunningServer;
  url: (path: string) => URL;
  call: (path: string, init?: RequestInit & { token?: string }) => Promise<Response>;
}

const running: RunningServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.close();
});

export async function testServer(
  project: ProjectDefinition,
  options: Partial<Omit<ServerOptions, 'project' | 'tokens'>> & { tokens?: boolean } = {},
): Promise<TestServer> {
  const { tokens, ...rest } = options;
  const instance = options.instance ?? tempInstance();
  const server = await startServer({
    port: 0,
    pollMs: 10,
    log: () => {},
    ...rest,
    project,
    instance,
    ...(tokens ? { tokens: { operator: [OPERATOR], viewer: [VIEWER] } } : {}),
  });
  running.push(server);
  const url = (path: string) => new URL(path, server.url);
  const call = (path: string, init: RequestInit & { token?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token !== undefined) headers.set('Authorization', `Bearer ${init.token}`);
    if (init.body !== undefined && !headers.has('Content-Type')) {
      headers.set('Content-Type', 'application/json');
    }
    return fetch(url(path), { ...init, headers });
  };
  return { instance, server, url, call };
}
