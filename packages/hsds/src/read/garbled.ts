// Repairs text garbled by reading UTF-8 in a single-byte encoding and saving it again, so that
// `é` became `Ã©` and `’` became `â€™` (read as Windows-1252 or Latin-1), or `é` became `Ì©`
// and `–` became `‰ÛÒ` (read as Windows-1252, saved as Mac OS Roman, read as Windows-1252
// again). A repair is made only where it is unambiguous; what only looks garbled is flagged.
import { macintoshChar, windows1252Byte } from './single-byte.js';

export interface GarbleRepair {
  readonly text: string;
  /** How many garbled sequences were replaced by the character they stood for. */
  readonly repairs: number;
  /** Why parts of the text look garbled but were left as they are. */
  readonly doubts: readonly string[];
}

/** How a character maps back to the byte it came from, under one way of garbling. */
type View = (char: string) => number | undefined;

const windows1252View: View = windows1252Byte;

// Through a Mac OS Roman round the lead bytes of Latin-1 letters (0xC2, 0xC3) and of
// punctuation (0xE2) became å, Ì and ‰; only those leads are trusted, so that clean text such
// as `€` before a no-break space is never taken for garbling.
const macRoundLeads = new Set([0xc2, 0xc3, 0xe2]);
const macRoundView: View = (char) => {
  const byte = windows1252Byte(char);
  return byte === undefined ? undefined : windows1252Byte(macintoshChar(byte));
};

// What a Mac OS Roman round is trusted to have garbled: Latin-1 and Latin Extended-A letters,
// general punctuation, the euro and the trade mark sign.
const macRoundResult = /^[\u00A0-\u017F\u2010-\u205E\u20AC\u2122]$/;

const utf8 = new TextDecoder('utf-8', { fatal: true });

// Every garbled sequence starts with a character of Latin-1's upper half or ‰.
const possibleLead = /[\u00C2-\u00F4\u2030]/;

// Garbled sequences are made of characters outside ASCII; a lost byte may follow as '_' or '?'.
const cluster = /[^\p{ASCII}]+[_?]?/gu;

/**
 * Repairs the garbled sequences of a text. Each run of non-ASCII characters is repaired on its
 * own, until nothing is left to repair (text garbled twice is repaired twice); a run that still
 * looks garbled afterwards is left exactly as it was and flagged.
 */
export function repairGarbledText(text: string): GarbleRepair {
  if (!possibleLead.test(text)) return { text, repairs: 0, doubts: [] };
  let repairs = 0;
  const doubts: string[] = [];
  const repaired = text.replace(cluster, (run) => {
    if (!possibleLead.test(run)) return run;
    const result = repairRun(run);
    if (result.doubts.length > 0) {
      doubts.push(...result.doubts.map((doubt) => `'${run}' left as it is: ${doubt}`));
      return run;
    }
    repairs += result.repairs;
    return result.text;
  });
  return { text: repairs === 0 ? text : repaired, repairs, doubts };
}

// C1 controls are what Latin-1 makes of bytes 0x80–0x9F: a repair may produce them on the way
// (text garbled twice), but one that remains at the end was not text.
const c1Control = /[\u0080-\u009F]/g;

function repairRun(run: string): GarbleRepair {
  let current = run;
  let repairs = 0;
  for (;;) {
    const pass = repairOnce(current);
    if (pass.doubts.length > 0) return { text: current, repairs, doubts: pass.doubts };
    if (pass.repairs > 0) {
      current = pass.text;
      repairs += pass.repairs;
      continue;
    }
    const controls = current.match(c1Control) ?? [];
    if (controls.length > (run.match(c1Control)?.length ?? 0)) {
      const codes = controls.map((char) => `U+${hex(char)}`).join(', ');
      return { text: current, repairs, doubts: [`it would leave control characters (${codes})`] };
    }
    return { text: current, repairs, doubts: [] };
  }
}

interface Candidate {
  readonly start: number;
  readonly end: number;
  readonly decoded: string;
}

interface Doubt {
  readonly at: number;
  readonly message: string;
}

function repairOnce(text: string): GarbleRepair {
  const lostBytes: Doubt[] = [];
  const direct = findCandidates(text, windows1252View, false, lostBytes);
  const throughMac = findCandidates(text, macRoundView, true, lostBytes).filter((candidate) =>
    macRoundResult.test(candidate.decoded),
  );
  const doubts: string[] = [];
  const chosen = resolveOverlaps(direct, throughMac, text, doubts);
  // A lost byte seen under one way of garbling is no doubt where the other explains the text.
  for (const doubt of lostBytes) {
    if (!chosen.some((candidate) => candidate.start <= doubt.at && doubt.at < candidate.end)) {
      doubts.push(doubt.message);
    }
  }
  return applyCandidates(text, chosen, doubts);
}

function findCandidates(text: string, view: View, macRound: boolean, doubts: Doubt[]) {
  const candidates: Candidate[] = [];
  let i = 0;
  while (i < text.length) {
    const lead = view(text[i]!);
    if (
      lead === undefined ||
      lead < 0xc2 ||
      lead > 0xf4 ||
      (macRound && !macRoundLeads.has(lead))
    ) {
      i++;
      continue;
    }
    const needed = lead < 0xe0 ? 1 : lead < 0xf0 ? 2 : 3;
    const bytes = [lead];
    while (bytes.length <= needed) {
      const next = view(text[i + bytes.length] ?? '');
      if (next === undefined || next < 0x80 || next > 0xbf) break;
      bytes.push(next);
    }
    const decoded = bytes.length === needed + 1 ? decodeUtf8(bytes) : undefined;
    if (decoded !== undefined) {
      candidates.push({ start: i, end: i + bytes.length, decoded });
      i += bytes.length;
      continue;
    }
    const message = lostByteDoubt(text, i, lead, bytes, macRound);
    if (message !== undefined) doubts.push({ at: i, message });
    i++;
  }
  return candidates;
}

function lostByteDoubt(
  text: string,
  i: number,
  lead: number,
  bytes: readonly number[],
  macRound: boolean,
): string | undefined {
  const next = text[i + bytes.length] ?? '';
  // `’` is E2 80 99; a lost last byte (often 0x9D of `”`, undefined in Windows-1252) leaves `â€`.
  if (!macRound && lead === 0xe2 && bytes.length === 2 && bytes[1] === 0x80) {
    return 'it is garbled punctuation (’ “ ” – —…) whose last byte was lost';
  }
  // A byte the target encoding lacked was written as '_' or '?': `Ì_` for `ó`, `Ã?` for `Á`.
  if (bytes.length === 1 && (next === '_' || next === '?') && (lead === 0xc2 || lead === 0xc3)) {
    return `it is a garbled letter whose second byte was replaced by '${next}'`;
  }
  return undefined;
}

// Where both ways of garbling explain overlapping text, the likelier character wins (`Ì©` is
// `é`, not U+0329; `ÌÈ‰` is `û` and `‰`, not `Ì` and `ȉ`); equally likely ones are a doubt.
function resolveOverlaps(
  direct: Candidate[],
  throughMac: Candidate[],
  text: string,
  doubts: string[],
): Candidate[] {
  const chosen: Candidate[] = [];
  const all = [...direct, ...throughMac].sort((a, b) => a.start - b.start || a.end - b.end);
  for (const candidate of all) {
    const previous = chosen.at(-1);
    if (previous === undefined || previous.end <= candidate.start) {
      chosen.push(candidate);
      continue;
    }
    const better = likelihood(candidate.decoded) - likelihood(previous.decoded);
    if (better > 0) chosen[chosen.length - 1] = candidate;
    else if (better === 0) {
      chosen.pop();
      const sequence = text.slice(previous.start, Math.max(previous.end, candidate.end));
      doubts.push(
        `'${sequence}' could stand for '${previous.decoded}' or for '${candidate.decoded}'`,
      );
    }
  }
  return chosen;
}

/** 2 for Western letters and punctuation, 0 for a combining mark, 1 for anything else. */
function likelihood(char: string): number {
  if (macRoundResult.test(char)) return 2;
  return /^\p{M}$/u.test(char) ? 0 : 1;
}

// Letters of other scripts come from garbling in runs (a word); one alone is as likely to be
// two real characters (`Ñº` for `Nº`, say) as a garbled one.
const commonScripts = /^[\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]$/u;
const unusable = /^[\p{Cn}\p{Co}\p{Cs}]$/u;

function applyCandidates(text: string, candidates: Candidate[], doubts: string[]): GarbleRepair {
  let repaired = '';
  let at = 0;
  let repairs = 0;
  candidates.forEach((candidate, k) => {
    const sequence = text.slice(candidate.start, candidate.end);
    const inRun =
      candidates[k - 1]?.end === candidate.start || candidates[k + 1]?.start === candidate.end;
    if (unusable.test(candidate.decoded)) {
      doubts.push(`'${sequence}' would be U+${hex(candidate.decoded)}, an unassigned character`);
      return;
    }
    if (!commonScripts.test(candidate.decoded) && !inRun) {
      doubts.push(`'${sequence}' would be a lone '${candidate.decoded}'`);
      return;
    }
    repaired += text.slice(at, candidate.start) + candidate.decoded;
    at = candidate.end;
    repairs++;
  });
  return { text: repairs === 0 ? text : repaired + text.slice(at), repairs, doubts };
}

function decodeUtf8(bytes: number[]): string | undefined {
  try {
    return utf8.decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}

function hex(char: string): string {
  return char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
}
