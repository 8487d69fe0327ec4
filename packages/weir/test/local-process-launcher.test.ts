/**
 * The local process launcher with real child processes (this Node binary running small
 * scripts): environment, output, exit codes, a missing program, stop (the whole process
 * group, by force when SIGTERM is ignored) and timeouts.
 */
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type LaunchOutputStream,
  launchRequest,
  localProcessLauncher,
  WeirError,
} from '../src/index.js';

const node = process.execPath;
const dir = realpathSync(mkdtempSync(join(tmpdir(), 'weir-launch-')));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(code: string, extra: Partial<Parameters<typeof launchRequest>[0]> = {}) {
  return launchRequest({ command: [node, '-e', code], ...extra });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('localProcessLauncher', () => {
  it('runs the command with the request’s environment and reports a clean exit', async () => {
    const lines: Array<[string, LaunchOutputStream]> = [];
    const launcher = localProcessLauncher({
      cwd: dir,
      output: (line, stream) => lines.push([line, stream]),
    });
    expect(launcher.kind).toBe('local-process');
    const request = script(
      'console.log(process.env.WEIR_PROJECT, process.env.WEIR_LAUNCH_ID, process.cwd()); console.error("note"); process.stdout.write("no newline")',
      { env: { WEIR_PROJECT: '/app' }, id: 'launch-ok' },
    );
    const handle = await launcher.launch(request);
    expect(handle.id).toMatch(/^local:launch-ok:\d+$/);
    expect(handle.request).toBe(request);
    const exit = await handle.wait();
    expect(exit).toEqual({
      outcome: 'succeeded',
      exitCode: 0,
      signal: undefined,
      message: 'exited with code 0',
    });
    expect(lines).toContainEqual([`/app launch-ok ${dir}`, 'stdout']);
    expect(lines).toContainEqual(['note', 'stderr']);
    expect(lines).toContainEqual(['no newline', 'stdout']);
  });

  it('passes only the request’s environment when told not to inherit', async () => {
    process.env.WEIR_LAUNCH_TEST_SECRET = 'parent';
    try {
      const lines: string[] = [];
      const launcher = localProcessLauncher({
        inheritEnv: false,
        output: (line) => lines.push(line),
      });
      const handle = await launcher.launch(
        script('console.log(JSON.stringify(Object.keys(process.env).sort()))', {
          env: { ONLY: 'this' },
        }),
      );
      await handle.wait();
      const names = JSON.parse(lines[0]!) as string[];
      expect(names).toContain('ONLY');
      expect(names).toContain('WEIR_LAUNCH_ID');
      expect(names).not.toContain('WEIR_LAUNCH_TEST_SECRET');
      expect(names).not.toContain('PATH');
    } finally {
      delete process.env.WEIR_LAUNCH_TEST_SECRET;
    }
  });

  it('reports a failed exit with its code and its last lines on stderr', async () => {
    const launcher = localProcessLauncher({ output: () => {} });
    const handle = await launcher.launch(
      script(
        'console.error("loading project"); console.error("E_DEFINITION: bad pool"); process.exit(3)',
      ),
    );
    expect(await handle.wait()).toEqual({
      outcome: 'failed',
      exitCode: 3,
      signal: undefined,
      message: 'exited with code 3: loading project | E_DEFINITION: bad pool',
    });
  });

  it('rejects a launch whose program does not exist, saying what to check', async () => {
    const launcher = localProcessLauncher({ output: 'ignore' });
    const launch = launcher.launch(launchRequest({ command: ['weir-no-such-program', 'worker'] }));
    await expect(launch).rejects.toBeInstanceOf(WeirError);
    await expect(launch).rejects.toMatchObject({
      code: 'E_LAUNCH',
      message: expect.stringMatching(/could not start 'weir-no-such-program'/),
      hint: expect.stringMatching(/installed and on the PATH/),
    });
  });

  it('stops the worker and what it started (its process group)', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const launcher = localProcessLauncher({ output: 'ignore' });
    const handle = await launcher.launch(
      script(
        `const { spawn } = require('node:child_process');
         const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
         require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(g.pid));
         setInterval(() => {}, 1000);`,
      ),
    );
    await until(() => {
      try {
        return readFileSync(pidFile, 'utf8') !== '';
      } catch {
        return false;
      }
    });
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(grandchild)).toBe(true);
    const exit = await handle.stop();
    expect(exit.outcome).toBe('stopped');
    expect(exit.signal).toBe('SIGTERM');
    expect(exit.message).toBe('stopped (ended by SIGTERM)');
    await until(() => !alive(grandchild));
    expect(await handle.stop()).toBe(exit);
  });

  it('kills a worker that ignores SIGTERM once the grace period is over', async () => {
    const launcher = localProcessLauncher({ stopGraceMs: 200, output: (line) => lines.push(line) });
    const lines: string[] = [];
    const handle = await launcher.launch(
      script('process.on("SIGTERM", () => {}); console.log("ready"); setInterval(() => {}, 1000)'),
    );
    await until(() => lines.includes('ready'));
    const started = Date.now();
    const exit = await handle.stop();
    expect(exit).toMatchObject({ outcome: 'stopped', signal: 'SIGKILL' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('stops a worker that outlives its timeout', async () => {
    const launcher = localProcessLauncher({ output: 'ignore' });
    const handle = await launcher.launch(script('setInterval(() => {}, 1000)', { timeoutMs: 300 }));
    const exit = await handle.wait();
    expect(exit.outcome).toBe('timed-out');
    expect(exit.message).toBe('stopped after its timeout of 300 ms (ended by SIGTERM)');
  });

  it('does not count a worker that finished in time as timed out', async () => {
    const launcher = localProcessLauncher({ output: 'ignore' });
    const handle = await launcher.launch(script('process.exit(0)', { timeoutMs: 5000 }));
    expect((await handle.wait()).outcome).toBe('succeeded');
  });
});
