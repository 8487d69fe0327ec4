/**
 * The calls and shapes the asset, run and automation pages use (the graph page's are in
 * api.ts). Stored events are typed by weir's own event union.
 */
import type { StoredEvent } from 'weir';
import type { AutomationEntry, StepBar } from 'weir/server';
import type { RunBody } from '../api';
import { get, post } from '../api';

export type { StoredEvent } from 'weir';
export type { AutomationEntry, StepBar } from 'weir/server';
export type MaterializationEvent = StoredEvent<'asset:materialized'>;
export type ObservationEvent = StoredEvent<'asset:observed'>;
export type CheckEvent = StoredEvent<'check:evaluated'>;
export type LogEvent = StoredEvent<'step:log'>;

const enc = encodeURIComponent;

/** A run as GET /api/runs gives it: with the partitions it asked for. */
export type RunView = RunBody & {
  partitions: { from?: string; to?: string; keys?: string[] } | null;
  units: number | null;
};

/** The partitions a run asked for, in a few words (empty: every stale one). */
export function partitionsText(run: RunView): string {
  const p = run.partitions;
  if (p === null) return '';
  if (p.keys) return p.keys.length <= 3 ? p.keys.join(', ') : `${p.keys.length} partitions`;
  return `${p.from ?? 'first'} → ${p.to ?? 'last'}`;
}

export interface Cause {
  category: string;
  key: string;
  reason: string;
  dependency?: string;
  eventId?: number;
  runId?: string;
}

export interface AssetBody {
  definition: {
    key: string;
    kind: 'asset' | 'source';
    description: string | null;
    group: string | null;
    owners: string[];
    kinds: string[];
    tags: Record<string, string>;
    metadata: unknown;
    upstream: string[];
    downstream: string[];
    partitions: unknown;
    checks: Array<{
      name: string;
      description: string | null;
      severity: 'error' | 'warn';
      blocking: boolean;
    }>;
    freshness: unknown;
    automation: string | null;
    codeVersion: string | null;
  };
  state: {
    status: 'fresh' | 'stale' | 'missing' | 'failed';
    summary: string;
    causes: Cause[];
    warnings: string[];
    freshness: { status: string; reason: string; overdueByMs: number } | null;
    codeVersion: string;
    dataVersion: string | null;
    current: StoredEvent | null;
    upstream: Array<{ key: string; status: string; summary: string }>;
  };
  partition: string | null;
}

export interface PartitionMap {
  size: number;
  letters: string;
  counts: Record<'fresh' | 'stale' | 'missing' | 'failed', number>;
  first: string | null;
  last: string | null;
  keys: string[] | null;
  backfills: Array<{
    backfillId: string;
    status: string;
    requestedAt: number;
    finishedAt: number | null;
    request: { selection: string; from?: string; to?: string; partitions?: string[] };
    runIds: string[];
  }>;
}

export type LaunchAnswer =
  | { runId: string }
  | { runId: null; status: string; reasons: Record<string, string> };

const asset = (key: string) => `/api/assets/${enc(key)}`;

export const pagesApi = {
  health: () => get<{ ok: boolean; version: string; role: 'operator' | 'viewer' }>('/api/health'),
  asset: (key: string, signal?: AbortSignal) => get<AssetBody>(asset(key), signal),
  materializations: (
    key: string,
    options: { before?: number; limit?: number; partition?: string } = {},
  ) => {
    const query = new URLSearchParams({ limit: String(options.limit ?? 25) });
    if (options.before !== undefined) query.set('before', String(options.before));
    if (options.partition) query.set('partition', options.partition);
    return get<{ events: Array<MaterializationEvent | ObservationEvent>; more: boolean }>(
      `${asset(key)}/materializations?${query}`,
    );
  },
  checks: (key: string) => get<{ events: CheckEvent[] }>(`${asset(key)}/checks?limit=500`),
  series: (key: string, by: 'materialization' | 'partition' = 'materialization') =>
    get<{ at: number[]; series: Record<string, Array<number | null>> }>(
      `${asset(key)}/series?by=${by}`,
    ),
  partitions: (key: string, signal?: AbortSignal) =>
    get<PartitionMap>(`${asset(key)}/partitions`, signal),
  partitionKeys: (key: string, from: number, to: number) =>
    get<PartitionMap>(`${asset(key)}/partitions?from=${from}&to=${to}`).then((m) => m.keys ?? []),
  artefactUrl: (key: string, eventId: number) => `${asset(key)}/artefact?event=${eventId}`,
  launch: (body: { selection: string; partitions?: { from?: string; to?: string } }) =>
    post<LaunchAnswer>('/api/runs', body),
  runs: (status: string | undefined, signal?: AbortSignal) =>
    get<{ runs: RunView[] }>(`/api/runs?limit=100${status ? `&status=${status}` : ''}`, signal),
  run: (runId: string, signal?: AbortSignal) =>
    get<{ run: RunView; steps: StepBar[] }>(`/api/runs/${enc(runId)}`, signal),
  cancel: (runId: string) => post<{ cancelling: true }>(`/api/runs/${enc(runId)}/cancel`),
  automation: (signal?: AbortSignal) =>
    get<{ entries: AutomationEntry[] }>('/api/automation', signal),
  ticks: (name: string) =>
    get<{ events: StoredEvent[] }>(`/api/automation/${enc(name)}/ticks?limit=20`),
  setPaused: (name: string, paused: boolean) =>
    post<{ name: string; paused: boolean; changed: boolean }>(
      `/api/automation/${enc(name)}/${paused ? 'pause' : 'resume'}`,
    ),
};

/** A run's trigger in words: who or what launched it. */
export function triggerText(run: RunBody): { who: string; reason: string } {
  const t = run.trigger;
  if (t === null) return { who: 'manual', reason: 'launched from a terminal' };
  const who =
    t.kind === 'api'
      ? 'api'
      : t.kind === 'condition'
        ? `condition ${t.name}`
        : `${t.kind} ${t.name}`;
  return { who, reason: t.reason };
}
