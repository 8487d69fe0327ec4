/**
 * @module server/_access
 * Who may call the server, decided before any route runs. Bound to a loopback address with no
 * token, the server is open to this machine only (and refuses requests whose Host header is
 * not a loopback name, so a web page cannot reach it through DNS rebinding). With tokens,
 * every call under /api and /metrics needs `Authorization: Bearer <token>`, whatever the
 * address; a viewer token reads, an operator token also launches and cancels. Bound beyond
 * loopback, the server refuses to start without a token.
 */
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EnvironmentError } from '../errors.js';

export type Role = 'viewer' | 'operator';

export interface Tokens {
  viewer: readonly string[];
  operator: readonly string[];
}

export interface Access {
  /** Whether calls need a token (tokens were given). */
  readonly required: boolean;
  /** The role a request's Authorization header grants, or undefined (no or wrong token). */
  roleOf(authorization: string | undefined): Role | undefined;
  /** Whether a request's Host header may reach this server (see the module comment). */
  hostAllowed(host: string | undefined): boolean;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function isLoopback(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * The tokens from the environment (`WEIR_TOKEN`: operator, `WEIR_VIEWER_TOKEN`: viewer) and a
 * token file: one `ROLE TOKEN` per line, `#` comments.
 */
export function readTokens(env: NodeJS.ProcessEnv, tokenFile?: string): Tokens {
  const viewer: string[] = [];
  const operator: string[] = [];
  const add = (role: string, token: string, where: string) => {
    // What an Authorization header can carry: visible ASCII, no spaces.
    if (!/^[\x21-\x7e]+$/.test(token)) {
      throw new EnvironmentError(
        'E_USAGE',
        `${where}: a token may hold only visible ASCII characters, no spaces`,
        {
          hint: 'make one with `openssl rand -hex 24`',
        },
      );
    }
    if (viewer.includes(token) || operator.includes(token)) {
      throw new EnvironmentError('E_USAGE', `${where}: this token is given twice`, {
        hint: 'give each person or role a token of its own',
      });
    }
    if (token.length < 16) {
      throw new EnvironmentError('E_USAGE', `${where}: a token must be at least 16 characters`, {
        hint: 'make one with `openssl rand -hex 24`',
      });
    }
    if (role === 'viewer') viewer.push(token);
    else if (role === 'operator') operator.push(token);
    else {
      throw new EnvironmentError('E_USAGE', `${where}: unknown role '${role}'`, {
        hint: 'each line is `viewer TOKEN` or `operator TOKEN`',
      });
    }
  };
  if (env.WEIR_TOKEN?.trim()) add('operator', env.WEIR_TOKEN.trim(), 'WEIR_TOKEN');
  if (env.WEIR_VIEWER_TOKEN?.trim()) {
    add('viewer', env.WEIR_VIEWER_TOKEN.trim(), 'WEIR_VIEWER_TOKEN');
  }
  if (tokenFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(tokenFile, 'utf8');
    } catch (error) {
      throw new EnvironmentError('E_USAGE', `cannot read the token file ${tokenFile}`, {
        hint: (error as Error).message,
      });
    }
    text.split('\n').forEach((raw, index) => {
      // A comment starts a line or follows a space, so a token may hold '#'.
      const line = raw.replace(/(^|\s)#.*$/, '').trim();
      if (line === '') return;
      const [role, token, extra] = line.split(/\s+/);
      if (token === undefined || extra !== undefined) {
        throw new EnvironmentError(
          'E_USAGE',
          `${tokenFile}:${index + 1}: expected \`ROLE TOKEN\``,
          {
            hint: 'each line is `viewer TOKEN` or `operator TOKEN`',
          },
        );
      }
      add(role!, token, `${tokenFile}:${index + 1}`);
    });
  }
  return { viewer, operator };
}

/** The access rules for a server bound to `host`; throws when it would be open beyond loopback. */
export function accessFor(host: string, tokens: Tokens): Access {
  const required = tokens.viewer.length + tokens.operator.length > 0;
  if (!required && !isLoopback(host)) {
    throw new EnvironmentError(
      'E_USAGE',
      `refusing to serve on ${host} without a token: anyone who can reach it could read and launch`,
      {
        hint: 'set WEIR_TOKEN (operator) and/or WEIR_VIEWER_TOKEN, or pass --token-file FILE; or bind to 127.0.0.1',
      },
    );
  }
  const matches = (given: Buffer, list: readonly string[]) =>
    list.some((token) => {
      const wanted = Buffer.from(token);
      return wanted.length === given.length && timingSafeEqual(wanted, given);
    });
  return {
    required,
    roleOf(authorization) {
      if (!required) return 'operator';
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      if (match === null) return undefined;
      const given = Buffer.from(match[1]!);
      if (matches(given, tokens.operator)) return 'operator';
      if (matches(given, tokens.viewer)) return 'viewer';
      return undefined;
    },
    hostAllowed(hostHeader) {
      // With a token, the token is the protection; the Host header may be any name of the machine.
      if (required || !isLoopback(host)) return true;
      if (hostHeader === undefined) return false;
      const name = hostHeader.startsWith('[')
        ? hostHeader.slice(0, hostHeader.indexOf(']') + 1)
        : hostHeader.replace(/:\d+$/, '');
      return isLoopback(name.toLowerCase());
    },
  };
}
