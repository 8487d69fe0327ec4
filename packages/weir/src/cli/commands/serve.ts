/**
 * @module cli/commands/serve
 * `weir serve`: the web UI and HTTP API for the instance, until Ctrl-C. `weir dev` starts the
 * same server beside the daemon (see daemon.ts). The server's code is loaded only here, so
 * other commands do not pay for it.
 */
import type { RunningServer } from '../../server/index.js';
import { type Command, type CommandContext, nonNegativeInteger, stringOption } from '../command.js';

export const SERVER_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'token-file': { type: 'string' },
} as const;

export const SERVER_HELP = `  --port N          the port (default 3000; 0: any free port)
  --host ADDRESS    the address to bind (default 127.0.0.1). Beyond loopback a token is
                    required: WEIR_TOKEN (operator: may launch and cancel runs),
                    WEIR_VIEWER_TOKEN (read only), or --token-file FILE (lines \`ROLE TOKEN\`)
`;

/** Starts the server for the command's project and instance, and says where it is. */
export async function startCommandServer(
  ctx: CommandContext,
  name: string,
): Promise<RunningServer> {
  const { startServer, readTokens } = await import('../../server/index.js');
  const { project } = await ctx.project();
  const tokens = readTokens(process.env, stringOption(ctx.values['token-file']));
  const port = nonNegativeInteger(ctx.values.port, 'port') ?? 3000;
  const host = stringOption(ctx.values.host) ?? '127.0.0.1';
  const instance = await ctx.instance();
  const server = await startServer({
    project,
    instance,
    host,
    port,
    tokens,
    log: (line) => ctx.output.err(`weir ${name}: ${line}\n`),
  });
  const protectedBy = tokens.operator.length + tokens.viewer.length > 0 ? ' (token required)' : '';
  const readOnly = instance.readOnly ? ' (read-only instance: viewing only)' : '';
  ctx.output.out(`weir ${name}: UI and API on ${server.url}${protectedBy}${readOnly}\n`);
  for (const app of project.apps) {
    ctx.output.out(`weir ${name}: app '${app.name}' on ${server.url}apps/${app.name}/\n`);
  }
  return server;
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the web UI and HTTP API for the instance',
  usage: 'weir serve [--port N] [--host ADDRESS] [--token-file FILE]',
  help: `options:
${SERVER_HELP}Runs launched from the UI run in this process. See docs/ui.md and docs/api.md.
`,
  options: SERVER_OPTIONS,
  async run(ctx) {
    const server = await startCommandServer(ctx, 'serve');
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await server.close();
    ctx.output.out('stopped\n');
    return 0;
  },
};
