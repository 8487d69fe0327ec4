/**
 * @module launch/_output-lines
 * Splits a child's output stream into lines for a callback, and keeps the last few lines of
 * its standard error to explain a failed exit.
 */

import type { Readable } from 'node:stream';

/** Reads `stream` line by line (a last line without a newline included at its end). */
export function readLines(stream: Readable, onLine: (line: string) => void): void {
  stream.setEncoding('utf8');
  let pending = '';
  stream.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line.replace(/\r$/, ''));
  });
  stream.on('end', () => {
    if (pending !== '') onLine(pending.replace(/\r$/, ''));
    pending = '';
  });
}

/** The last `size` non-empty lines seen. */
export class LastLines {
  private readonly lines: string[] = [];

  constructor(private readonly size: number) {}

  push(line: string): void {
    if (line.trim() === '') return;
    this.lines.push(line);
    if (this.lines.length > this.size) this.lines.shift();
  }

  text(): string {
    return this.lines.join(' | ');
  }
}
