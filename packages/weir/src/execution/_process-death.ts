/**
 * @module execution/_process-death
 * Why a child process ended, said as the end of "the process running <unit> …": killed by a
 * signal, out of memory (V8's fatal heap error on its stderr), or exited by itself.
 */

/** What V8 prints when a heap limit is reached, and the allocation failures around it. */
const OUT_OF_MEMORY =
  /JavaScript heap out of memory|Reached heap limit|Ineffective mark-compacts near heap limit|FATAL ERROR: .*Allocation failed/;

export interface ProcessEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of what the process wrote to its stderr. */
  stderr: string;
  /** Its `--max-old-space-size`, in MB, if it was given one. */
  maxOldSpaceMb?: number;
}

export function deathReason(end: ProcessEnd): string {
  if (OUT_OF_MEMORY.test(end.stderr)) {
    return end.maxOldSpaceMb === undefined
      ? 'ran out of memory (V8 reached its heap limit)'
      : `ran out of memory (V8 reached its heap limit of ${end.maxOldSpaceMb} MB: --max-old-space-size)`;
  }
  if (end.signal === 'SIGKILL') {
    return 'was killed by SIGKILL (by another process, or by the system when memory ran out)';
  }
  if (end.signal !== null) return `was killed by ${end.signal}`;
  return `exited with code ${end.code} while the step ran (did it call process.exit()?)`;
}
