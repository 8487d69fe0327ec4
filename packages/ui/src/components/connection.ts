/** Whether the server answers: asked every few seconds, so every page can say when it does not. */
import { useEffect, useState } from 'react';

const EVERY_MS = 5_000;

/** True while the server cannot be reached (a network error, not an error answer). */
export function useLostConnection(): boolean {
  const [lost, setLost] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    let live = true;
    const ask = async () => {
      try {
        await fetch('/api/health', { cache: 'no-store' });
        if (live) setLost(false);
      } catch {
        if (live) setLost(true);
      }
      if (live) timer = setTimeout(ask, EVERY_MS);
    };
    timer = setTimeout(ask, EVERY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, []);
  return lost;
}

/** A fetch that never reached the server (browsers say "Failed to fetch", "NetworkError…"). */
export const unreachable = (error: Error) => error.name === 'TypeError';
