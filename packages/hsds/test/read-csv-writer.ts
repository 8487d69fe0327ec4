// A CSV writer for the round-trip properties: quotes a field only when it must.

export type LineEnding = '\n' | '\r\n' | '\r';

export function writeCsv(rows: readonly (readonly string[])[], lineEnding: LineEnding): string {
  return rows
    .map((row) =>
      row
        .map((field) => (mustQuote(field, row.length) ? `"${field.replaceAll('"', '""')}"` : field))
        .join(','),
    )
    .join(lineEnding);
}

function mustQuote(field: string, width: number): boolean {
  // A lone empty field unquoted would be a blank line, which the reader skips.
  return /[",\r\n]/.test(field) || (width === 1 && field === '');
}
