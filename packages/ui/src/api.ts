/**
 * The API client: JSON over fetch with the bearer token (kept in sessionStorage, never in a
 * cookie, so other sites cannot ride on it), errors as ApiError with the server's message, and
 * Server-Sent Events read through fetch (EventSource cannot send the token).
 */
import type { GraphBody, MaterializationDiff, RunBody } from 'weir/server';

export type {
  GraphBody,
  GraphNodeBody,
  LayoutBody,
  MaterializationDiff,
  RunBody,
} from 'weir/server';

const TOKEN_KEY = 'weir-token';

/** A token passed as `#token=…` in the URL is taken once, stored for the tab, and removed from the address. */
export function adoptTokenFromUrl(): void {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (match === null) return;
  sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]!));
  history.replaceState(null, '', window.location.pathname + window.location.search);
}

/** The token this tab signs in with, if any. */
export const storedToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);

export function setToken(token: string | undefined): void {
  if (token === undefined) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

function headers(extra?: HeadersInit): Headers {
  const result = new Headers(extra);
  const token = storedToken();
  if (token !== null) result.set('Authorization', `Bearer ${token}`);
  return result;
}

async function failure(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as {
      error?: { code: string; message: string; hint?: string };
    };
    if (body.error)
      return new ApiError(response.status, body.error.code, body.error.message, body.error.hint);
  } catch {
    // not JSON: fall through
  }
  return new ApiError(response.status, 'E_HTTP', `${response.status} ${response.statusText}`);
}

export async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { headers: headers(), ...(signal ? { signal } : {}) });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

export async function post<T>(path: string, body: unknown = {}): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: headers({ 'Content-Type': 'application/json' }),
    body: JSON.stringify(body),
  });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

/** A URL a link or download can use (the token goes in a header, so downloads go through fetch). */
export async function download(path: string, filename: string): Promise<void> {
  const response = await fetch(path, { headers: headers() });
  if (!response.ok) throw await failure(response);
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Reads a Server-Sent Events stream, calling `onEvent` per event, until it ends or `signal`
 * aborts. Reconnects from the last id when the connection drops.
 */
export async function stream(
  path: string,
  onEvent: (name: string, data: string) => void,
  signal: AbortSignal,
): Promise<void> {
  let lastId: string | undefined;
  while (!signal.aborted) {
    try {
      const response = await fetch(path, {
        headers: headers(lastId === undefined ? {} : { 'Last-Event-ID': lastId }),
        signal,
      });
      if (!response.ok || response.body === null) throw await failure(response);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let name = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) name = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
            else if (line.startsWith('id:')) lastId = line.slice(3).trim();
          }
          if (name === 'end') return;
          if (name !== 'ping') onEvent(name, data.join('\n'));
          end = buffer.indexOf('\n\n');
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ApiError && error.status < 500) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

export const api = {
  graph: (signal?: AbortSignal) => get<GraphBody>('/api/graph', signal),
  runs: (limit = 50) => get<{ runs: RunBody[] }>(`/api/runs?limit=${limit}`),
  diff: (key: string, from: number, to: number) =>
    get<MaterializationDiff>(`/api/assets/${encodeURIComponent(key)}/diff?from=${from}&to=${to}`),
};
