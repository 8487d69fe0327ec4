// The kinds of line in the plain-text export of apd_export.txt (see apd.ts).

/** `To Get Connected` or `Things To Know` (any case, a colon allowed). */
export function sectionHeading(line: string): string | undefined {
  const match = /^\s*(to get connected|things to know)\s*:?\s*$/i.exec(line);
  if (match === null) return undefined;
  return match[1]!.toLowerCase() === 'to get connected' ? 'To Get Connected' : 'Things To Know';
}

/** The line that closes a record: `Direct Services: …` (or `Direct Service:`). */
export function isDirectServices(line: string): boolean {
  return /^\s*Direct Services?\s*:/.test(line);
}

export interface KeyLine {
  readonly key: string;
  readonly value: string;
  /** 0-based index of the value's first character in the line. */
  readonly valueIndex: number;
}

// `Phone: (415) 563-3205`, `Client fees, if any: None`, `Hours:\tMonday – Friday`: a short label
// without sentence punctuation, a colon, then space or the end of the line (not `http://`).
const keyLine = /^\s*([A-Za-z(][^:.;!?]{0,59}?)\s*:(?=\s|$)\s*(.*?)\s*$/d;

export function parseKeyLine(line: string): KeyLine | undefined {
  const match = keyLine.exec(line);
  if (match === null) return undefined;
  return { key: match[1]!.trim(), value: match[2]!, valueIndex: match.indices![2]![0] };
}

const urlToken = /^(?:https?:\/\/)?[\w-]+(?:\.[\w-]+)+(?:\/\S*)?$/i;

/** The URL(s) of a header line (`url: www.example.org`, or a line of nothing but addresses). */
export function headerUrl(line: string): string | undefined {
  const labelled = /^\s*url:\s*(.*?)\s*$/i.exec(line);
  if (labelled !== null) return labelled[1];
  const text = line.trim().replace(/^[.\s]+/, '');
  const tokens = text.split(/\s+/);
  return tokens.length > 0 && tokens.every((token) => urlToken.test(token)) ? text : undefined;
}

/** A header line that reads as a paragraph rather than a name (long, or a sentence). */
export function isParagraph(line: string): boolean {
  const text = line.trim();
  const words = text.split(/\s+/).length;
  return text.length > 100 || /^[a-z]/.test(text) || (/[.!?:]$/.test(text) && words >= 6);
}
