/**
 * One run: what launched it and why, where it ran, its steps on a Gantt timeline, and its
 * logs — live while it runs (Server-Sent Events), the timeline and status with them.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { stream } from '../api';
import { duration, time } from '../components/format';
import { useAction } from '../components/hooks';
import { Link } from '../components/Link';
import { Loading } from '../components/Loading';
import { Problem } from '../components/Problem';
import { canOperate, useRole } from '../components/role';
import { StatusPill } from '../components/Status';
import { paths } from '../router';
import {
  type LogEvent,
  pagesApi,
  partitionsText,
  type RunView,
  type StepBar,
  type StoredEvent,
  triggerText,
} from './pages-api';
import { Gantt, STEP_COLOURS, stepId } from './run/Gantt';
import './pages.css';

/** The events shown in the log panel: step logs, and retries and failures as error lines. */
type LogLine = LogEvent | StoredEvent<'step:failed'> | StoredEvent<'step:retrying'>;

const SHOWN_LINES = 3000;

export function RunPage({ runId }: { runId: string }) {
  const [run, setRun] = useState<RunView>();
  const [steps, setSteps] = useState<StepBar[]>([]);
  const [error, setError] = useState<Error>();
  const [lines, setLines] = useState<LogLine[]>([]);
  const [live, setLive] = useState(false);
  const [selected, setSelected] = useState<string>();

  // The run and its steps; again (at most every 300 ms) while events arrive.
  const refresh = useRef<() => void>(() => {});
  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pending = false;
    const load = async () => {
      try {
        const body = await pagesApi.run(runId);
        if (!alive) return;
        setRun(body.run);
        setSteps(body.steps);
        setError(undefined);
      } catch (caught) {
        if (alive) setError(caught as Error);
      }
    };
    refresh.current = () => {
      if (pending) return;
      pending = true;
      timer = setTimeout(() => {
        pending = false;
        void load();
      }, 300);
    };
    setRun(undefined);
    setSteps([]);
    setSelected(undefined);
    void load();
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [runId]);

  // Every event of the run, from the start, live until it finishes.
  useEffect(() => {
    const controller = new AbortController();
    setLines([]);
    setLive(true);
    let buffer: LogLine[] = [];
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      flushTimer = undefined;
      const batch = buffer;
      buffer = [];
      setLines((old) => old.concat(batch));
    };
    stream(
      `/api/runs/${encodeURIComponent(runId)}/stream`,
      (name, data) => {
        if (name !== 'weir') return;
        const events = JSON.parse(data) as StoredEvent[];
        let moved = false;
        for (const event of events) {
          if (
            event.type === 'step:log' ||
            event.type === 'step:failed' ||
            event.type === 'step:retrying'
          )
            buffer.push(event);
          if (event.type !== 'step:log') moved = true;
        }
        if (buffer.length > 0 && flushTimer === undefined) flushTimer = setTimeout(flush, 50);
        if (moved) refresh.current();
      },
      controller.signal,
    )
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(caught as Error);
      })
      .finally(() => {
        if (controller.signal.aborted) return;
        flush();
        setLive(false);
        refresh.current();
      });
    return () => {
      controller.abort();
      clearTimeout(flushTimer);
    };
  }, [runId]);

  if (run === undefined) {
    return (
      <div className="page">
        <div className="crumbs">
          <Link to={paths.runs()}>Runs</Link>
        </div>
        <h1 className="mono-title">{runId}</h1>
        {error ? <Problem error={error} /> : <Loading what="the run" />}
      </div>
    );
  }
  const selectedStep = steps.find((s) => stepId(s) === selected);
  return (
    <div className="page page-wide">
      <RunHeader run={run} steps={steps} live={live} onCancelled={() => refresh.current()} />
      {error ? <Problem error={error} /> : null}
      <section className="card gantt-card">
        <header className="section-header">
          <h2 className="card-title">Timeline</h2>
          <StepLegend steps={steps} />
        </header>
        {steps.length === 0 ? (
          <p className="subtle">
            {run.status === 'running' ? 'Planning…' : 'No step ran (nothing was stale).'}
          </p>
        ) : (
          <Gantt
            steps={steps}
            startedAt={run.startedAt}
            endedAt={run.finishedAt}
            selected={selected}
            onSelect={setSelected}
          />
        )}
      </section>
      {selectedStep ? <StepDetail step={selectedStep} /> : null}
      <Logs
        lines={lines}
        step={selectedStep}
        live={live}
        onShowAll={() => setSelected(undefined)}
      />
    </div>
  );
}

function RunHeader(props: {
  run: RunView;
  steps: StepBar[];
  live: boolean;
  onCancelled: () => void;
}) {
  const { run, steps } = props;
  const role = useRole();
  const {
    run: cancel,
    busy: cancelling,
    error: cancelError,
  } = useAction(async () => {
    await pagesApi.cancel(run.runId);
    props.onCancelled();
  });
  const [, setTick] = useState(0);
  useEffect(() => {
    if (run.status !== 'running') return;
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [run.status]);
  const trigger = triggerText(run);
  const summary = run.summary ?? {};
  return (
    <header className="card run-header">
      <div className="run-header-top">
        <div>
          <div className="crumbs">
            <Link to={paths.runs()}>Runs</Link>
          </div>
          <h1 className="mono-title">
            {run.runId} <StatusPill status={run.status} />
            {props.live && run.status === 'running' ? (
              <span className="live-dot" title="live">
                live
              </span>
            ) : null}
          </h1>
          <p className="run-reason">
            <span className={`trigger trigger-${run.trigger?.kind ?? 'manual'}`}>
              {trigger.who}
            </span>{' '}
            {trigger.reason}
          </p>
        </div>
        {run.status === 'running' && canOperate(role) ? (
          <div className="run-actions">
            <button type="button" className="danger" onClick={cancel} disabled={cancelling}>
              {cancelling ? 'Cancelling…' : 'Cancel run'}
            </button>
          </div>
        ) : null}
      </div>
      {/* A 409 says the run is not this server's to cancel, and where it runs. */}
      {cancelError ? <Problem error={cancelError} /> : null}
      <dl className="run-facts">
        <div>
          <dt>Selection</dt>
          <dd className="mono">{run.selection}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{time(run.startedAt)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>
            {run.status === 'running'
              ? `${duration(Date.now() - run.startedAt)} so far`
              : duration(run.durationMs)}
          </dd>
        </div>
        <div>
          <dt>Host</dt>
          <dd className="mono">
            {run.host} · pid {run.pid}
          </dd>
        </div>
        {run.partitions ? (
          <div>
            <dt>Partitions</dt>
            <dd className="mono">{partitionsText(run)}</dd>
          </div>
        ) : null}
        {run.backfillId ? (
          <div>
            <dt>Backfill</dt>
            <dd className="mono">{run.backfillId}</dd>
          </div>
        ) : null}
        <div>
          <dt>Planned</dt>
          <dd>
            {run.steps.length} asset{run.steps.length === 1 ? '' : 's'}, {steps.length} step
            {steps.length === 1 ? '' : 's'}
          </dd>
        </div>
      </dl>
      {run.summary ? (
        <div className="run-summary">
          {Object.entries(summary)
            .filter(([, keys]) => keys.length > 0)
            .map(([outcome, keys]) => (
              <span
                key={outcome}
                className={`summary-chip summary-${outcome}`}
                title={keys.join('\n')}
              >
                <strong>{keys.length}</strong> {outcome}
              </span>
            ))}
          {run.reason ? <span className="subtle">{run.reason}</span> : null}
        </div>
      ) : null}
    </header>
  );
}

function StepLegend({ steps }: { steps: StepBar[] }) {
  const counts = new Map<string, number>();
  for (const step of steps) counts.set(step.status, (counts.get(step.status) ?? 0) + 1);
  return (
    <div className="step-legend">
      {[...counts].map(([status, n]) => (
        <span key={status}>
          <span
            className="swatch"
            style={{ background: STEP_COLOURS[status as StepBar['status']] }}
          />
          {n} {status}
        </span>
      ))}
    </div>
  );
}

function StepDetail({ step }: { step: StepBar }) {
  return (
    <section className="card step-detail" aria-label="step">
      <div className="step-detail-row">
        <StatusPill status={step.status} />
        <Link to={paths.asset(step.assetKey)} className="mono">
          {step.assetKey}
        </Link>
        {step.partition ? <span className="mono subtle">{step.partition}</span> : null}
        <span className="subtle">
          {duration((step.endedAt ?? Date.now()) - step.startedAt)}
          {step.attempts > 1 ? ` · ${step.attempts} attempts` : ''}
        </span>
        {step.eventId ? (
          <Link to={`${paths.asset(step.assetKey, 'history')}&event=${step.eventId}`}>
            materialization #{step.eventId}
          </Link>
        ) : null}
      </div>
      {step.message ? <pre className="step-message">{step.message}</pre> : null}
    </section>
  );
}

function Logs(props: {
  lines: LogLine[];
  step: StepBar | undefined;
  live: boolean;
  onShowAll: () => void;
}) {
  const { step } = props;
  const shown = useMemo(() => {
    const lines = step
      ? props.lines.filter((l) => l.assetKey === step.assetKey && l.partition === step.partition)
      : props.lines;
    return lines.length > SHOWN_LINES ? lines.slice(-SHOWN_LINES) : lines;
  }, [props.lines, step]);
  const ref = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  useEffect(() => {
    const element = ref.current;
    if (element && stick.current) element.scrollTop = element.scrollHeight;
  }, [shown]);
  return (
    <section className="logs-section">
      <header className="section-header">
        <h2>
          Logs{' '}
          {step ? (
            <span className="subtle">
              of <span className="mono">{step.assetKey}</span>
              {step.partition ? <span className="mono"> {step.partition}</span> : null}
            </span>
          ) : (
            <span className="subtle">of every step</span>
          )}
          {props.live ? <span className="live-dot">live</span> : null}
        </h2>
        {step ? (
          <button type="button" onClick={props.onShowAll}>
            Every step
          </button>
        ) : (
          <span className="subtle small">click a step in the timeline to see its logs alone</span>
        )}
      </header>
      <div
        ref={ref}
        className="logs"
        role="log"
        aria-label="logs"
        onScroll={(event) => {
          const e = event.currentTarget;
          stick.current = e.scrollTop + e.clientHeight >= e.scrollHeight - 8;
        }}
      >
        {shown.length === 0 ? (
          <div className="log-empty">{props.live ? 'Waiting for logs…' : 'No logs.'}</div>
        ) : (
          shown.map((line) => <LogRow key={line.id} line={line} showKey={!step} />)
        )}
      </div>
    </section>
  );
}

function LogRow({ line, showKey }: { line: LogLine; showKey: boolean }) {
  const clock = new Date(line.timestamp).toISOString().slice(11, 23);
  const level =
    line.type === 'step:log' ? line.level : line.type === 'step:failed' ? 'error' : 'warn';
  const message =
    line.type === 'step:log'
      ? line.message
      : line.type === 'step:failed'
        ? `failed (attempt ${line.attempt}): ${line.error.message}`
        : `retrying in ${duration(line.delayMs)} after attempt ${line.attempt}: ${line.error.message}`;
  const fields = line.type === 'step:log' && line.fields ? Object.entries(line.fields) : [];
  return (
    <div className={`log-line log-${level}`}>
      <span className="log-time">{clock}</span>
      <span className="log-level">{level}</span>
      {showKey ? (
        <span className="log-key">
          {line.assetKey}
          {line.partition ? ` ${line.partition}` : ''}
        </span>
      ) : null}
      <span className="log-message">
        {message}
        {fields.map(([k, v]) => (
          <span key={k} className="log-field">
            {' '}
            {k}={typeof v === 'string' ? v : JSON.stringify(v)}
          </span>
        ))}
      </span>
    </div>
  );
}
