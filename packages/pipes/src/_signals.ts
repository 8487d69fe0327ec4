/**
 * @module pipes/_signals
 * What a signal that killed the interpreter means, in words: `SIGSEGV (segmentation fault)`
 * and what usually sends it, for a failed step's message.
 */
import { constants } from 'node:os';

const MEANING: Partial<Record<NodeJS.Signals, { name: string; why: string }>> = {
  SIGSEGV: {
    name: 'segmentation fault',
    why: 'a crash in native code (the interpreter or an extension module such as numpy or torch)',
  },
  SIGBUS: {
    name: 'bus error',
    why: 'a crash in native code, or a memory-mapped file that shrank or a full /dev/shm',
  },
  SIGILL: {
    name: 'illegal instruction',
    why: 'native code built for another CPU (an extension module compiled with instructions this machine lacks)',
  },
  SIGFPE: { name: 'floating-point exception', why: 'an integer division by zero in native code' },
  SIGABRT: {
    name: 'aborted',
    why: 'native code called abort(), usually after a failed assertion (its message is in the step log)',
  },
  SIGKILL: {
    name: 'killed',
    why: "out of memory? The kernel's OOM killer sends SIGKILL (dmesg names the process); or another process killed it",
  },
  SIGTERM: { name: 'terminated', why: 'another process asked it to stop (not Weir)' },
  SIGINT: { name: 'interrupted', why: 'Ctrl-C, or another process sent SIGINT' },
};

/** `SIGSEGV (segmentation fault)`. */
export function signalName(signal: NodeJS.Signals): string {
  const meaning = MEANING[signal];
  return meaning === undefined ? signal : `${signal} (${meaning.name})`;
}

/** What usually sends `signal`, or undefined. */
export function signalCause(signal: NodeJS.Signals): string | undefined {
  return MEANING[signal]?.why;
}

/**
 * The signal a shell reports as exit code 128 + N (a wrapper script between Weir and the
 * interpreter that did not `exec` it), or undefined.
 */
export function signalOfExitCode(code: number): NodeJS.Signals | undefined {
  if (code <= 128 || code > 128 + 64) return undefined;
  const number = code - 128;
  const entry = Object.entries(constants.signals).find(([, n]) => n === number);
  return entry === undefined ? undefined : (entry[0] as NodeJS.Signals);
}
