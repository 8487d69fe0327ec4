// RFC 4180 CSV, leniently: quoted fields may hold delimiters, quotes ("") and line breaks; a
// row ends at LF, CRLF or a lone CR (old Mac exports); whatever breaks the rules is kept as
// written and reported with its offset, never dropped.

export interface CsvCell {
  readonly value: string;
  /** Offset of the cell's first character (its opening quote, if quoted) in the text. */
  readonly offset: number;
}

export interface CsvRow {
  readonly cells: readonly CsvCell[];
  readonly offset: number;
}

export interface CsvProblem {
  readonly offset: number;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export interface CsvParse {
  readonly rows: readonly CsvRow[];
  readonly problems: readonly CsvProblem[];
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

export function parseCsv(text: string, delimiter = ','): CsvParse {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') {
    throw new Error(`the CSV delimiter must be one character other than a quote or a line break`);
  }
  const separator = delimiter.charCodeAt(0);
  const rows: CsvRow[] = [];
  const problems: CsvProblem[] = [];
  let cells: CsvCell[] = [];
  let rowStart = 0;
  let i = 0;

  const endRow = (): void => {
    const blank =
      cells.length === 1 && cells[0]!.value === '' && text.charCodeAt(rowStart) !== QUOTE;
    if (blank)
      problems.push({ offset: rowStart, severity: 'warning', message: 'blank line skipped' });
    else rows.push({ cells, offset: rowStart });
    cells = [];
  };

  // Past a line break at i: its length (CRLF is one break), 0 if i is not at one.
  const lineBreak = (at: number): number => {
    const code = text.charCodeAt(at);
    if (code === LF) return 1;
    if (code === CR) return text.charCodeAt(at + 1) === LF ? 2 : 1;
    return 0;
  };

  while (i < text.length) {
    const start = i;
    let value: string;
    if (text.charCodeAt(i) === QUOTE) {
      const quoted = readQuoted(text, i + 1);
      value = quoted.value;
      i = quoted.end;
      if (!quoted.closed) {
        problems.push({
          offset: start,
          severity: 'error',
          message: 'a quoted field is never closed; the rest of the file was read into it',
        });
      } else if (i < text.length && text.charCodeAt(i) !== separator && lineBreak(i) === 0) {
        const tail = readUnquoted(text, i, separator);
        problems.push({
          offset: i,
          severity: 'warning',
          message: `text after a closing quote (${JSON.stringify(tail.slice(0, 20))}) kept in the field`,
        });
        value += tail;
        i += tail.length;
      }
    } else {
      value = readUnquoted(text, i, separator);
      i += value.length;
      if (value.includes('"')) {
        problems.push({
          offset: start + value.indexOf('"'),
          severity: 'warning',
          message: 'a quote inside an unquoted field, kept as written',
        });
      }
    }
    cells.push({ value, offset: start });
    if (i >= text.length) break;
    if (text.charCodeAt(i) === separator) {
      i++;
      // A delimiter as the last character of a line (or of the file) opens one more empty cell.
      if (i >= text.length || lineBreak(i) > 0) cells.push({ value: '', offset: i });
      else continue;
    }
    const width = lineBreak(i);
    if (width > 0) {
      i += width;
      endRow();
      rowStart = i;
    }
  }
  if (cells.length > 0) endRow();
  return { rows, problems };
}

function readQuoted(text: string, from: number): { value: string; end: number; closed: boolean } {
  let value = '';
  let at = from;
  for (;;) {
    const quote = text.indexOf('"', at);
    if (quote === -1) return { value: value + text.slice(at), end: text.length, closed: false };
    value += text.slice(at, quote);
    if (text.charCodeAt(quote + 1) === QUOTE) {
      value += '"';
      at = quote + 2;
    } else {
      return { value, end: quote + 1, closed: true };
    }
  }
}

function readUnquoted(text: string, from: number, separator: number): string {
  let end = from;
  while (end < text.length) {
    const code = text.charCodeAt(end);
    if (code === separator || code === CR || code === LF) break;
    end++;
  }
  return text.slice(from, end);
}
