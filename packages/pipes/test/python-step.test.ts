/**
 * Python steps through weir_pipes, run by Weir's own materialize() with Debian's python3: the
 * script reads the context and its inputs and reports logs, metadata, checks and its output.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  asset,
  assetValue,
  defineProject,
  EnvironmentError,
  sourceAsset,
  staticPartitions,
} from 'weir';
import { PythonScriptError, pythonStep, reportedCheck } from '../src/index.js';
import { alive, run, scratch, script, until } from './_support.js';

interface Reading {
  station: string;
  stage_m: number;
}

const readings = asset({
  key: 'gauges/readings',
  materialize: (): Reading[] => [
    { station: 'ATT-01', stage_m: 1.5 },
    { station: 'ATT-02', stage_m: 3.25 },
  ],
});

function failure(ran: Awaited<ReturnType<typeof run>>, key: string): string {
  expect(ran.result.status).toBe('failed');
  return ran.result.reasons[key] ?? '';
}

describe('pythonStep', () => {
  it('reads JSON inputs, params and its context, reports metadata and an output', async () => {
    const dir = scratch();
    const peak = asset({
      key: 'gauges/peak',
      ins: { readings },
      materialize: pythonStep<{ peak_m: number; rows: number; context: Record<string, unknown> }>({
        script: script(
          dir,
          'peak.py',
          `
          import weir_pipes
          with weir_pipes.open() as ctx:
              rows = ctx.inputs["readings"]
              peak = max(r["stage_m"] for r in rows)
              ctx.report_metadata({"rows": len(rows), "peak_m": peak})
              ctx.report_output({
                  "peak_m": peak,
                  "rows": len(rows),
                  "context": {
                      "asset_key": ctx.asset_key,
                      "partition_key": ctx.partition_key,
                      "run_id": ctx.run_id,
                      "attempt": ctx.attempt,
                      "code_version": ctx.code_version,
                      "params": ctx.params,
                  },
              })
          `,
        ),
        params: { unit: 'm', threshold: 3.2 },
      }),
    });
    // Typed edges: the step's T is what the downstream receives.
    const alert = asset({
      key: 'gauges/alert',
      ins: { peak },
      materialize: (_ctx, { peak }) => peak.peak_m >= 3.2,
    });
    const ran = await run([readings, peak, alert]);
    expect(ran.result.status).toBe('success');
    const project = defineProject({ assets: [readings, peak, alert] });
    const { value, runId, codeVersion } = await assetValue(project, {
      instance: ran.instance,
      key: 'gauges/peak',
    });
    expect(value).toEqual({
      peak_m: 3.25,
      rows: 2,
      context: {
        asset_key: 'gauges/peak',
        partition_key: null,
        run_id: runId,
        attempt: 1,
        code_version: codeVersion,
        params: { unit: 'm', threshold: 3.2 },
      },
    });
    expect((await assetValue(project, { instance: ran.instance, key: 'gauges/alert' })).value).toBe(
      true,
    );
    const materialized = (await ran.events()).find(
      (e) => e.type === 'asset:materialized' && e.assetKey === 'gauges/peak',
    );
    expect(
      materialized?.type === 'asset:materialized' && materialized.materialization.metadata,
    ).toEqual({ rows: 2, peak_m: 3.25 });
  });

  it('gives a partitioned step its partition, and many() inputs as a dict', async () => {
    const dir = scratch();
    const stations = staticPartitions(['north', 'south']);
    const level = asset({
      key: 'level',
      partitions: stations,
      materialize: (ctx) => ({ station: ctx.partition.key, m: ctx.partition.key.length }),
    });
    const echo = pythonStep({
      script: script(
        dir,
        'echo.py',
        `
        import weir_pipes
        with weir_pipes.open() as ctx:
            ctx.report_output({"partition": ctx.partition, "inputs": ctx.inputs})
        `,
      ),
    });
    const perStation = asset({
      key: 'per_station',
      partitions: stations,
      ins: { level },
      materialize: echo,
    });
    const ran = await run([level, perStation]);
    expect(ran.result.status).toBe('success');
    const project = defineProject({ assets: [level, perStation] });
    const south = await assetValue(project, {
      instance: ran.instance,
      key: 'per_station',
      partition: 'south',
    });
    expect(south.value).toEqual({
      partition: { key: 'south' },
      inputs: { level: { station: 'south', m: 5 } },
    });
  });

  it('gives a source asset input as its observation, the time as an ISO string', async () => {
    const dir = scratch();
    const feed = sourceAsset({ key: 'feed', observe: () => 'etag-7' });
    const seen = asset({
      key: 'seen',
      ins: { feed },
      materialize: pythonStep({
        script: script(
          dir,
          'seen.py',
          `
          import weir_pipes
          from datetime import datetime
          with weir_pipes.open() as ctx:
              feed = ctx.inputs["feed"]
              datetime.fromisoformat(feed["observedAt"].replace("Z", "+00:00"))
              ctx.report_output(feed["dataVersion"])
          `,
        ),
      }),
    });
    const ran = await run([feed, seen]);
    expect(ran.result.status).toBe('success');
    const project = defineProject({ assets: [feed, seen] });
    expect((await assetValue(project, { instance: ran.instance, key: 'seen' })).value).toBe(
      'etag-7',
    );
  });

  it('streams log lines (ctx.log, print, stderr) into the step log while the script runs', async () => {
    const dir = scratch();
    const go = join(dir, 'go');
    const waits = asset({
      key: 'waits',
      materialize: pythonStep({
        script: script(
          dir,
          'waits.py',
          `
          import os, sys, time
          import weir_pipes
          with weir_pipes.open() as ctx:
              ctx.log.info("waiting for go", epoch=1)
              print("from print")
              print("from stderr", file=sys.stderr)
              deadline = time.time() + 10
              while not os.path.exists(ctx.params["go"]):
                  if time.time() > deadline:
                      raise TimeoutError("no go within 10 s: logs did not stream")
                  time.sleep(0.01)
              ctx.log.warn("got go")
              ctx.report_output(1)
          `,
        ),
        params: { go },
        timeoutMs: 20_000,
      }),
    });
    const seenBeforeGo: string[] = [];
    const ran = await run([waits], {
      onLog: (_key, entry) => {
        if (!readdirSync(dir).includes('go')) seenBeforeGo.push(entry.message);
        // Only a line that arrives while the script runs can let it finish.
        if (entry.message === 'waiting for go') writeFileSync(go, '');
      },
    });
    expect(ran.result.status).toBe('success');
    expect(seenBeforeGo).toContain('waiting for go');
    const lines = ran.logs.map(({ entry }) => [entry.level, entry.message, entry.fields]);
    expect(lines).toContainEqual(['info', 'waiting for go', { epoch: 1 }]);
    expect(lines).toContainEqual(['info', 'from print', undefined]);
    expect(lines).toContainEqual(['warn', 'from stderr', undefined]);
    expect(lines).toContainEqual(['warn', 'got go', undefined]);
  });

  it('records the checks the script reports through reportedCheck(); a failed blocking one holds the value back', async () => {
    const dir = scratch();
    const checked = asset({
      key: 'checked',
      ins: { readings },
      checks: [
        reportedCheck('stage_in_bounds'),
        reportedCheck('enough_rows', { severity: 'warn' }),
        reportedCheck('never_reported', { severity: 'warn' }),
      ],
      materialize: pythonStep({
        script: script(
          dir,
          'checked.py',
          `
          import weir_pipes
          with weir_pipes.open() as ctx:
              rows = ctx.inputs["readings"]
              high = [r for r in rows if r["stage_m"] > 3]
              ctx.report_check("stage_in_bounds", passed=not high,
                               message="%d readings above 3 m" % len(high),
                               metadata={"high": [r["station"] for r in high]})
              ctx.report_check("enough_rows", True)
              ctx.report_check("undeclared", False, message="only in the log")
              ctx.report_output(len(rows))
          `,
        ),
      }),
    });
    const ran = await run([readings, checked]);
    const events = await ran.events();
    const checks = events.flatMap((e) => (e.type === 'check:evaluated' ? [e.check] : []));
    expect(
      checks.map(({ name, passed, message, metadata }) => ({ name, passed, message, metadata })),
    ).toEqual([
      {
        name: 'stage_in_bounds',
        passed: false,
        message: '1 readings above 3 m',
        metadata: { high: ['ATT-02'] },
      },
      { name: 'enough_rows', passed: true, message: undefined, metadata: {} },
      {
        name: 'never_reported',
        passed: false,
        message:
          'the Python script did not report check \'never_reported\' (call ctx.report_check("never_reported", passed, message=...))',
        metadata: {},
      },
    ]);
    const materialized = events.find(
      (e) => e.type === 'asset:materialized' && e.assetKey === 'checked',
    );
    expect(
      materialized?.type === 'asset:materialized' && materialized.materialization.blockedBy,
    ).toEqual(['stage_in_bounds']);
    expect(ran.logs.map(({ entry }) => entry.message)).toContain(
      'check undeclared failed: only in the log',
    );
  });

  it('writes a files artefact at ctx.output_path, and reads files and bytes inputs as paths', async () => {
    const dir = scratch();
    const raw = asset({
      key: 'raw',
      io: 'bytes',
      materialize: () => new TextEncoder().encode('a,b\n1,2\n'),
    });
    const folder = asset({
      key: 'folder',
      io: 'files',
      ins: { raw },
      materialize: pythonStep({
        script: script(
          dir,
          'folder.py',
          `
          import os, shutil
          import weir_pipes
          with weir_pipes.open() as ctx:
              os.mkdir(ctx.output_path)
              shutil.copy(ctx.inputs["raw"], os.path.join(ctx.output_path, "table.csv"))
              with open(os.path.join(ctx.output_path, "README"), "w") as f:
                  f.write("made in python\\n")
              ctx.report_output_path()
          `,
        ),
      }),
    });
    const summary = asset({
      key: 'summary',
      io: 'bytes',
      ins: { folder },
      materialize: pythonStep<Uint8Array>({
        script: script(
          dir,
          'summary.py',
          `
          import os
          import weir_pipes
          with weir_pipes.open() as ctx:
              names = sorted(os.listdir(ctx.inputs["folder"]))
              with open(ctx.output_path, "wb") as f:
                  f.write(("\\n".join(names)).encode())
              ctx.report_output_path(ctx.output_path)
          `,
        ),
      }),
    });
    const ran = await run([raw, folder, summary]);
    expect(ran.result.status).toBe('success');
    const project = defineProject({ assets: [raw, folder, summary] });
    const stored = await assetValue(project, { instance: ran.instance, key: 'folder' });
    expect(stored.format).toBe('files');
    const path = (stored.value as { path: string }).path;
    expect(readFileSync(join(path, 'table.csv'), 'utf8')).toBe('a,b\n1,2\n');
    expect(readFileSync(join(path, 'README'), 'utf8')).toBe('made in python\n');
    const listing = await assetValue(project, { instance: ran.instance, key: 'summary' });
    expect(new TextDecoder().decode(listing.value as Uint8Array)).toBe('README\ntable.csv');
  });

  it('fails with the exception and where it was raised in one line, and the traceback once, as the stack', async () => {
    const dir = scratch();
    const broken = asset({
      key: 'broken',
      ins: { readings },
      materialize: pythonStep({
        script: script(
          dir,
          'broken.py',
          `
          import weir_pipes

          def parse(rows):
              return [r["stage"] for r in rows]

          with weir_pipes.open() as ctx:
              ctx.log.info("parsing")
              parse(ctx.inputs["readings"])
          `,
        ),
        cwd: dir,
      }),
    });
    const ran = await run([readings, broken]);
    // One line: status and the run's summary show a reason's first line.
    expect(failure(ran, 'broken')).toBe(
      `asset 'broken' failed: python script ${join(dir, 'broken.py')} exited with code 1: KeyError: 'stage' (in <listcomp>, broken.py line 4)`,
    );
    const failed = (await ran.events()).find((e) => e.type === 'step:failed');
    const stack = failed?.type === 'step:failed' ? (failed.error.stack ?? '') : '';
    expect(stack).toMatch(/^Traceback \(most recent call last\):\n[\s\S]*\nKeyError: 'stage'$/);
    expect(stack).not.toMatch(/\.ts:\d+|node:internal|python-step/);
    // The client sent it; Python does not print it on stderr too (the step's log).
    const logged = ran.logs.map(({ entry }) => entry.message).join('\n');
    expect(logged).toContain('parsing');
    expect(logged).not.toContain('Traceback');
    expect(logged).not.toContain('KeyError');
  });

  it('throws a PythonScriptError with the exit and the traceback when called directly', async () => {
    const dir = scratch();
    const step = pythonStep({
      script: script(
        dir,
        'direct.py',
        'import weir_pipes\nwith weir_pipes.open():\n    raise ValueError("bad")\n',
      ),
    });
    const error = await step(stepContext(), {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PythonScriptError);
    const { exitCode, signal, traceback, script: name } = error as PythonScriptError;
    expect({ exitCode, signal, name }).toEqual({
      exitCode: 1,
      signal: null,
      name: join(dir, 'direct.py'),
    });
    expect(traceback).toMatch(/^Traceback \(most recent call last\):\n[\s\S]*\nValueError: bad$/);
  });

  it('reads the traceback from stderr when the script fails before it connects', async () => {
    const dir = scratch();
    const early = asset({
      key: 'early',
      materialize: pythonStep({
        script: script(dir, 'early.py', 'import weir_pipes\nimport not_a_module_at_all\n'),
      }),
    });
    const ran = await run([early]);
    expect(failure(ran, 'early')).toBe(
      `asset 'early' failed: python script ${join(dir, 'early.py')} exited with code 1: ModuleNotFoundError: No module named 'not_a_module_at_all' (in <module>, ${join(dir, 'early.py')} line 2)`,
    );
    // Python printed it on stderr, so it is in the step's log, line by line: the error has no
    // stack to say it twice.
    const warned = ran.logs
      .filter(({ entry }) => entry.level === 'warn')
      .map(({ entry }) => entry.message);
    expect(warned[0]).toBe('Traceback (most recent call last):');
    expect(warned.at(-1)).toBe("ModuleNotFoundError: No module named 'not_a_module_at_all'");
    const failed = (await ran.events()).find((e) => e.type === 'step:failed');
    expect(failed?.type === 'step:failed' && failed.error.stack).toBeFalsy();
  });

  it('names a syntax error in the script itself, which Python prints without a traceback header', async () => {
    const dir = scratch();
    const typo = asset({
      key: 'typo',
      materialize: pythonStep({
        script: script(dir, 'typo.py', 'import weir_pipes\nx = = 1\n'),
        cwd: dir,
      }),
    });
    expect(failure(await run([typo]), 'typo')).toBe(
      `asset 'typo' failed: python script ${join(dir, 'typo.py')} exited with code 1: SyntaxError: invalid syntax (at typo.py line 2)`,
    );
  });

  it('says which signal killed the interpreter, what usually sends it, and the innermost Python frame', async () => {
    const dir = scratch();
    const segfault = asset({
      key: 'segfault',
      materialize: pythonStep({
        script: script(
          dir,
          'segfault.py',
          `
          import ctypes
          import weir_pipes

          def native():
              ctypes.string_at(0)

          with weir_pipes.open() as ctx:
              native()
          `,
        ),
        cwd: dir,
      }),
    });
    const oom = asset({
      key: 'oom',
      materialize: pythonStep({
        script: script(dir, 'oom.py', 'import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n'),
      }),
    });
    // A wrapper that does not exec the interpreter: the shell reports the signal as 128 + N.
    const wrapper = join(dir, 'python-wrapper');
    writeFileSync(wrapper, '#!/bin/sh\npython3 "$@"\nexit $?\n', { mode: 0o755 });
    const wrapped = asset({
      key: 'wrapped',
      materialize: pythonStep({
        script: script(dir, 'abort.py', 'import os\nos.abort()\n'),
        python: wrapper,
      }),
    });
    const ran = await run([segfault, oom, wrapped]);
    const segv = failure(ran, 'segfault');
    expect(segv).toMatch(
      /^asset 'segfault' failed: python3 was killed by SIGSEGV \(segmentation fault\) running python script \S+segfault\.py: a crash in native code .*; the innermost Python frame was in string_at, \S+ctypes\S+ line \d+ \(the whole Python stack is in the step log\)$/,
    );
    const logged = ran.logs
      .filter(({ key }) => key === 'segfault')
      .map(({ entry }) => entry.message);
    expect(logged).toContain('Fatal Python error: Segmentation fault');
    expect(logged.some((line) => line.includes('segfault.py", line 5 in native'))).toBe(true);
    expect(failure(ran, 'oom')).toBe(
      `asset 'oom' failed: python3 was killed by SIGKILL (killed) running python script ${join(dir, 'oom.py')}: out of memory? The kernel's OOM killer sends SIGKILL (dmesg names the process); or another process killed it`,
    );
    expect(failure(ran, 'wrapped')).toMatch(
      /^asset 'wrapped' failed: python script \S+abort\.py exited with code 134: the interpreter was probably killed by SIGABRT \(aborted\) \(\S+python-wrapper reports that as 128 \+ 6\): native code called abort\(\).*; the innermost Python frame was in <module>, \S+abort\.py line 2 /,
    );
  });

  it('fails on a non-zero exit without a traceback, and on an exit 0 without an output', async () => {
    const dir = scratch();
    const exits = asset({
      key: 'exits',
      materialize: pythonStep({
        script: script(
          dir,
          'exits.py',
          `
          import sys
          import weir_pipes
          with weir_pipes.open() as ctx:
              print("disk quota exceeded", file=sys.stderr)
              sys.exit(3)
          `,
        ),
      }),
    });
    const silent = asset({
      key: 'silent',
      materialize: pythonStep({
        script: script(
          dir,
          'silent.py',
          'import weir_pipes\nwith weir_pipes.open() as ctx:\n    pass\n',
        ),
      }),
    });
    const ran = await run([exits, silent]);
    expect(failure(ran, 'exits')).toBe(
      `asset 'exits' failed: python script ${join(dir, 'exits.py')} exited with code 3: disk quota exceeded (the last line of its stderr; all of it is in the step's log)`,
    );
    expect(failure(ran, 'silent')).toBe(
      `asset 'silent' failed: python script ${join(dir, 'silent.py')} exited with code 0 without reporting an output: call ctx.report_output(value) inside "with weir_pipes.open() as ctx:"`,
    );
  });

  it('kills the whole process group on a timeout', async () => {
    const dir = scratch();
    const pids = join(dir, 'pids');
    const slow = asset({
      key: 'slow',
      retry: { maxAttempts: 1 },
      materialize: pythonStep({
        script: script(
          dir,
          'slow.py',
          `
          import os, subprocess, time
          import weir_pipes
          with weir_pipes.open() as ctx:
              child = subprocess.Popen(["sleep", "60"])
              with open(ctx.params["pids"], "w") as f:
                  f.write("%d %d" % (os.getpid(), child.pid))
              time.sleep(60)
          `,
        ),
        params: { pids },
        timeoutMs: 1_500,
      }),
    });
    const started = Date.now();
    const ran = await run([slow]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(failure(ran, 'slow')).toContain(
      `python script ${join(dir, 'slow.py')} timed out after 1.5 s: its process group was killed`,
    );
    const [python, sleeper] = readFileSync(pids, 'utf8').split(' ').map(Number) as [number, number];
    await until(() => !alive(python) && !alive(sleeper), 3_000);
  });

  it('kills the process group when the run is cancelled', async () => {
    const dir = scratch();
    const pids = join(dir, 'pids');
    const waits = asset({
      key: 'waits',
      materialize: pythonStep({
        script: script(
          dir,
          'cancelled.py',
          `
          import os, subprocess, time
          import weir_pipes
          with weir_pipes.open() as ctx:
              child = subprocess.Popen(["sleep", "60"])
              with open(ctx.params["pids"], "w") as f:
                  f.write("%d %d" % (os.getpid(), child.pid))
              ctx.log.info("started")
              time.sleep(60)
          `,
        ),
        params: { pids },
      }),
    });
    const controller = new AbortController();
    const ran = await run([waits], {
      signal: controller.signal,
      onLog: (_key, entry) => {
        if (entry.message === 'started') controller.abort();
      },
    });
    expect(ran.result.status).toBe('cancelled');
    // SIGTERM went to the group on abort; the run does not wait for the processes to go.
    const [python, sleeper] = readFileSync(pids, 'utf8').split(' ').map(Number) as [number, number];
    await until(() => !alive(python) && !alive(sleeper), 3_000);
  });

  it('names a missing interpreter or script, and what to do', async () => {
    const dir = scratch();
    const ok = script(
      dir,
      'ok.py',
      'import weir_pipes\nwith weir_pipes.open() as ctx:\n    ctx.report_output(1)\n',
    );
    const noCommand = asset({
      key: 'no_command',
      materialize: pythonStep({ script: ok, python: 'python3-not-installed-here' }),
    });
    const noPath = asset({
      key: 'no_path',
      materialize: pythonStep({ script: ok, python: '/opt/nowhere/bin/python3' }),
    });
    const noScript = asset({
      key: 'no_script',
      materialize: pythonStep({ script: 'scripts/missing.py', cwd: dir }),
    });
    const ran = await run([noCommand, noPath, noScript]);
    expect(failure(ran, 'no_command')).toBe(
      `cannot run python script ${ok}: the interpreter 'python3-not-installed-here' was not found on PATH`,
    );
    expect(failure(ran, 'no_path')).toBe(
      `cannot run python script ${ok}: the interpreter '/opt/nowhere/bin/python3' was not found (or is not executable)`,
    );
    expect(failure(ran, 'no_script')).toBe(
      `python script scripts/missing.py not found (${join(dir, 'scripts', 'missing.py')})`,
    );
    const failed = (await ran.events()).flatMap((e) => (e.type === 'step:failed' ? [e] : []));
    expect(failed.map((e) => e.error.name)).toEqual([
      'EnvironmentError',
      'EnvironmentError',
      'EnvironmentError',
    ]);
    // An environment error is not retried and carries no stack; its hint says what to do.
    expect(failed.every((e) => e.error.stack === undefined)).toBe(true);
    const error = await pythonStep({ script: ok, python: 'python3-not-installed-here' })(
      stepContext(),
      {},
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).hint).toContain('apt-get install python3');
  });

  it('refuses messages that break the protocol, naming the line', async () => {
    const dir = scratch();
    const raw = (name: string, line: string) =>
      asset({
        key: name,
        materialize: pythonStep({
          script: script(
            dir,
            `${name}.py`,
            `
            import os, time
            os.write(3, ${JSON.stringify(`${line}\n`)}.encode())
            time.sleep(30)
            `,
          ),
          timeoutMs: 20_000,
        }),
      });
    const started = Date.now();
    const ran = await run([
      raw('not_json', 'progress: 50%'),
      raw('unknown_type', '{"weir_pipes": 1, "type": "materialize", "value": 1}'),
      raw('no_version', '{"type": "log", "level": "info", "message": "hi"}'),
      raw('other_version', '{"weir_pipes": 2, "type": "opened"}'),
    ]);
    // Each script was stopped at its bad line, not left to sleep.
    expect(Date.now() - started).toBeLessThan(15_000);
    const where = (name: string) => `python script ${join(dir, `${name}.py`)}`;
    const broke = (name: string) =>
      `asset '${name}' failed: ${where(name)} broke the weir_pipes protocol: message 1 on file descriptor 3 is`;
    expect(failure(ran, 'not_json')).toContain(
      `${broke('not_json')} a line that is not JSON: "progress: 50%"`,
    );
    expect(failure(ran, 'unknown_type')).toContain(
      `${broke('unknown_type')} a message of unknown type "materialize"`,
    );
    expect(failure(ran, 'no_version')).toContain(
      `${broke('no_version')} a JSON line without the weir_pipes version`,
    );
    expect(failure(ran, 'other_version')).toBe(
      `${where('other_version')} speaks weir_pipes protocol 2; this @weir/pipes speaks 1`,
    );
  });

  it('refuses an output reported at another path than ctx.output_path (in Python, before Weir)', async () => {
    const dir = scratch();
    const elsewhere = asset({
      key: 'elsewhere',
      io: 'files',
      materialize: pythonStep({
        script: script(
          dir,
          'elsewhere.py',
          `
          import weir_pipes
          with weir_pipes.open() as ctx:
              open("out.txt", "w").write("x")
              ctx.report_output_path("out.txt")
          `,
        ),
        cwd: dir,
      }),
    });
    const message = failure(await run([elsewhere]), 'elsewhere');
    expect(message).toContain(
      "weir_pipes.WeirPipesError: report_output_path('out.txt'): write the output at ctx.output_path",
    );
  });

  it('has a code version that follows the script and the options', () => {
    const dir = scratch();
    const path = script(dir, 'v.py', 'print(1)\n');
    const a = pythonStep({ script: path });
    const before = a.codeVersion;
    expect(pythonStep({ script: path }).codeVersion).toBe(before);
    expect(pythonStep({ script: path, args: ['--fast'] }).codeVersion).not.toBe(before);
    expect(pythonStep({ script: path, params: { k: 1 } }).codeVersion).not.toBe(before);
    // Where the interpreter is (another venv, the same Python) is not a change of code.
    expect(pythonStep({ script: path, python: '/opt/venv/bin/python3' }).codeVersion).toBe(before);
    writeFileSync(path, 'print(2)\n');
    expect(a.codeVersion).not.toBe(before);
    expect(a.script).toBe(path);
    mkdirSync(join(dir, 'sub'));
    expect(pythonStep({ script: join(dir, 'sub', 'gone.py') }).codeVersion).toMatch(
      /^py-[0-9a-f]{16}$/,
    );
  });

  it('refuses bad options when the project loads', () => {
    expect(() => pythonStep({ script: '' })).toThrow('pythonStep() needs a script');
    expect(() => pythonStep({ script: 'a.py', timeoutMs: 0 })).toThrow(
      'timeoutMs must be a number > 0',
    );
    expect(() => pythonStep({ script: new URL('https://example.org/a.py') })).toThrow(
      'is not a file URL',
    );
  });
});

/** A bare step context, for calling a step directly. */
function stepContext() {
  return {
    key: 'direct',
    runId: 'run-1',
    attempt: 1,
    codeVersion: 'v1',
    partition: undefined,
    signal: new AbortController().signal,
    log: { debug() {}, info() {}, warn() {}, error() {} },
    addMetadata() {},
    setDataVersion() {},
  };
}

it('runs the weir_pipes.py unit tests (python3 -m unittest)', async () => {
  const { spawnSync } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const folder = fileURLToPath(new URL('../../../pipes/python/', import.meta.url));
  const result = spawnSync('python3', ['-m', 'unittest', '-v', 'test_weir_pipes'], {
    cwd: folder,
    encoding: 'utf8',
  });
  expect(result.stderr).toMatch(/\nOK\n?$/);
  expect(result.status).toBe(0);
});
