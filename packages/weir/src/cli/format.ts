/**
 * @module cli/format
 * Text output helpers: colour (only on a TTY, never with NO_COLOR), tables, sizes, times.
 */
import { EnvironmentError } from '../errors.js';
import type { LogEntry } from '../execution/index.js';
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** Writes raw bytes to stdout, resolving once they are handed to the OS (so exiting loses none). */
  bytes(data: Uint8Array): Promise<void>;
  readonly color: boolean;
  readonly tty: boolean;
  /** The terminal's width, for lines redrawn in place. */
  readonly columns?: number;
}

/**
 * The process's stdout and stderr; a worker thread passes the terminal's properties, which
 * its own streams do not have.
 */
export function processOutput(
  terminal: { tty: boolean; errTty: boolean; columns: number } = {
    tty: Boolean(process.stdout.isTTY),
    errTty: Boolean(process.stderr.isTTY),
    columns: process.stderr.columns ?? 100,
  },
): Output {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    bytes: (data) =>
      new Promise((resolve, reject) =>
        process.stdout.write(data, (error) => (error ? reject(error) : resolve())),
      ),
    color: terminal.tty && !process.env.NO_COLOR && process.env.TERM !== 'dumb',
    tty: terminal.tty,
    columns: terminal.columns,
  };
}

const CODES = {
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
  gray: 90,
  bold: 1,
  dim: 2,
} as const;
export type Color = keyof typeof CODES;

export function paint(output: Output, color: Color, text: string): string {
  return output.color ? `\x1b[${CODES[color]}m${text}\x1b[0m` : text;
}

export const STATUS_COLOR: Record<string, Color> = {
  fresh: 'green',
  success: 'green',
  stale: 'yellow',
  missing: 'magenta',
  running: 'cyan',
  failed: 'red',
  crashed: 'red',
  cancelled: 'gray',
};

/** Left-aligned columns; the last column is not padded. Colour codes are ignored for width. */
export function table(rows: string[][]): string {
  // Each cell measured once (status prints a row per asset: 30,000 cells at 10,000 assets).
  const lengths = rows.map((row) => row.map(visibleLength));
  const widths: number[] = [];
  for (const row of lengths) {
    for (let i = 0; i < row.length; i++) widths[i] = Math.max(widths[i] ?? 0, row[i]!);
  }
  return rows
    .map((row, r) =>
      row
        .map((cell, i) =>
          i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - lengths[r]![i]!),
        )
        .join('  '),
    )
    .join('\n');
}

/** The length of `text` as shown: without ANSI colour codes. */
function visibleLength(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes
  return text.includes('\x1b') ? text.replace(/\x1b\[[0-9;]*m/g, '').length : text.length;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const units: Array<[string, number]> = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['min', 60_000],
    ['s', 1000],
  ];
  // The two largest units that apply: "2 h 5 min", "3 d 4 h", "12 min 30 s".
  const first = units.findIndex(([, size]) => ms >= size);
  const [bigName, bigSize] = units[first]!;
  const [smallName, smallSize] = units[first + 1]!;
  const big = Math.floor(ms / bigSize);
  const small = Math.floor((ms - big * bigSize) / smallSize);
  return small === 0 ? `${big} ${bigName}` : `${big} ${bigName} ${small} ${smallName}`;
}

/** The zone the CLI shows times in: the machine's (set TZ to change it), by its IANA name. */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}

const clocks = new Map<string, Intl.DateTimeFormat>();

/** `2024-01-05 09:00:00` in `zone`, unlabelled: for columns whose zone is said once. */
export function formatClock(epochMs: number, zone: string = localZone()): string {
  let clock = clocks.get(zone);
  if (clock === undefined) {
    clock = new Intl.DateTimeFormat('sv-SE', {
      timeZone: zone,
      dateStyle: 'short',
      timeStyle: 'medium',
    });
    clocks.set(zone, clock);
  }
  return clock.format(new Date(epochMs));
}

/** `2024-01-05 09:00:00 Europe/Luxembourg`: a time in `zone` (the local one by default), labelled. */
export function formatTime(epochMs: number, zone: string = localZone()): string {
  return `${formatClock(epochMs, zone)} ${zone}`;
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * The time freshness is judged at: `WEIR_NOW` (an ISO time or epoch ms) when set, so
 * deadlines can be checked as of a given moment (and tested without waiting); else
 * undefined, meaning now (and only then are freshness changes recorded).
 */
export function clockFromEnvironment(): number | undefined {
  const text = process.env.WEIR_NOW;
  if (text === undefined || text === '') return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (Number.isNaN(value))
    throw new EnvironmentError(
      'E_USAGE',
      `WEIR_NOW must be an ISO time or epoch milliseconds, got '${text}'`,
    );
  return value;
}

/**
 * A step's error without the "asset 'KEY' failed: " (or "asset 'KEY[PARTITION]' failed: ")
 * prefix, for lines that already name the asset.
 */
export function stepError(assetKey: string, message: string): string {
  const start = `asset '${assetKey}`;
  const end = "' failed: ";
  if (!message.startsWith(start)) return message;
  const at = message.indexOf(end, start.length);
  if (at < 0) return message;
  const partition = message.slice(start.length, at);
  return partition === '' || /^\[[^']*\]$/.test(partition)
    ? message.slice(at + end.length)
    : message;
}

/** `{ now }` from WEIR_NOW, or nothing: options for status and why. */
export function withClock(): { now?: number } {
  const now = clockFromEnvironment();
  return now === undefined ? {} : { now };
}

/** Prints `ctx.log` lines of code run outside a run (source observers): all but debug. */
export function logPrinter(output: Output): (assetKey: string, entry: LogEntry) => void {
  return (assetKey, entry) => {
    if (entry.level !== 'debug') output.err(`[${assetKey}] ${entry.level}: ${entry.message}\n`);
  };
}

// C0 and C1 controls (escape sequences, newlines that break a table), DEL, and the
// invisible bidirectional overrides that reorder what a terminal shows.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from data (metadata, keys) made safe for one terminal line: control and bidi
 * characters shown as `\u001b`, and at most `max` characters (then `…`).
 */
export function printable(text: string, max = 80): string {
  const safe = text.replace(
    UNPRINTABLE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}
