/**
 * A small router over the History API: the path is the state (`/assets/hydrology%2Fraw`,
 * `/runs/ID`), so every view has a URL a person can share.
 */
import { useEffect, useState } from 'react';

export type Route =
  | { page: 'graph'; selection: string | undefined }
  | { page: 'asset'; key: string; tab: string | undefined }
  | { page: 'runs' }
  | { page: 'run'; runId: string }
  | { page: 'automation' }
  | { page: 'not-found'; path: string };

export function parseRoute(path: string, search: string): Route {
  const params = new URLSearchParams(search);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { page: 'graph', selection: params.get('select') ?? undefined };
  if (parts[0] === 'assets' && parts.length === 2) {
    return { page: 'asset', key: parts[1]!, tab: params.get('tab') ?? undefined };
  }
  if (parts[0] === 'runs' && parts.length === 1) return { page: 'runs' };
  if (parts[0] === 'runs' && parts.length === 2) return { page: 'run', runId: parts[1]! };
  if (parts[0] === 'automation' && parts.length === 1) return { page: 'automation' };
  return { page: 'not-found', path };
}

export const paths = {
  graph: (selection?: string) => (selection ? `/?select=${encodeURIComponent(selection)}` : '/'),
  asset: (key: string, tab?: string) =>
    `/assets/${encodeURIComponent(key)}${tab ? `?tab=${tab}` : ''}`,
  runs: () => '/runs',
  run: (runId: string) => `/runs/${encodeURIComponent(runId)}`,
  automation: () => '/automation',
};

export function navigate(to: string): void {
  history.pushState(null, '', to);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const read = () => parseRoute(window.location.pathname, window.location.search);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    window.addEventListener('popstate', onChange);
    return () => window.removeEventListener('popstate', onChange);
  }, []);
  return route;
}

/** A click handler for in-app links: plain clicks navigate without a reload; modified clicks open tabs. */
export function linkClick(to: string) {
  return (event: React.MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
      return;
    event.preventDefault();
    navigate(to);
  };
}
