import type { ReadIssue } from '../read/index.js';

/** Something a mapper could not carry into HSDS as written; the record is mapped regardless. */
export interface MapIssue {
  readonly file: string;
  readonly line: number;
  /** The column the value came from, when one did. */
  readonly field?: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

/** A reader's issue as a mapping issue. */
export function fromReadIssue(issue: ReadIssue): MapIssue {
  return { file: issue.file, line: issue.line, severity: issue.severity, message: issue.message };
}

/** `211.csv:14: warning: …` (with the field when known). */
export function formatMapIssue(issue: MapIssue): string {
  const field = issue.field === undefined ? '' : ` ${issue.field}:`;
  return `${issue.file}:${issue.line}: ${issue.severity}:${field} ${issue.message}`;
}
