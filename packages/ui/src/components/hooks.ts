import { useEffect, useRef, useState } from 'react';
import type { ApiError } from '../api';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | Error | undefined;
  reload: () => void;
}

/** Loads `load()` when `deps` change, and again every `everyMs` when given (keeping the last data while reloading). */
export function useLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
  everyMs?: number,
): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError | Error>();
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        setData(await loadRef.current(controller.signal));
        setError(undefined);
      } catch (caught) {
        if (!controller.signal.aborted) setError(caught as Error);
      }
      if (everyMs !== undefined && !controller.signal.aborted) timer = setTimeout(run, everyMs);
    };
    void run();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [...deps, tick, everyMs]);
  return { data, error, reload: () => setTick((n) => n + 1) };
}

/**
 * An action a button starts (launch, cancel): whether it is running, and the error it ended
 * with, cleared when it starts again.
 */
export function useAction<A extends unknown[]>(act: (...args: A) => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const run = async (...args: A): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await act(...args);
    } catch (caught) {
      setError(caught as Error);
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error };
}
