// Website fields as agencies type them ("www.x.org", "HTTP://X.ORG.", "http:// www.x.org",
// "hhttp://…", an e-mail address, "*no website*") made into one canonical URL. Normalising a
// normalised URL gives it back unchanged.

export type UrlNormalisation =
  | {
      kind: 'url';
      /** The canonical URL: scheme added when missing, lower-case scheme and host, no default
       * port, no trailing punctuation; path, query and fragment kept (percent-encoded as the
       * WHATWG URL standard serialises them). */
      url: string;
      /** Further URLs written in the same field, normalised the same way. */
      others: string[];
    }
  | { kind: 'email'; email: string }
  | { kind: 'none'; reason: 'empty' | 'placeholder' }
  | { kind: 'invalid'; text: string; reason: string };

export interface UrlOptions {
  /** The scheme put in front of a URL written without one; `http` by default, since an `https`
   * site redirects from it and the reverse is not true. */
  defaultScheme?: 'http' | 'https';
}

const PLACEHOLDER =
  /^[\s*_-]*(?:no(?:ne)?|n\/?a|tbd|pending|working on (?:a )?web ?site|no (?:web ?site|url)|not available|coming soon)\b[^/.]*$/i;
const EMAIL = /^(?:mailto:)?([^\s@/:]+)@([a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i;
const SCHEME_TYPOS = /^h+t+p+s?\s*:?\s*\/\/?\s*/i;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Normalises a website field. Never throws. */
export function normaliseUrl(text: string, options: UrlOptions = {}): UrlNormalisation {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'none', reason: 'empty' };
  if (PLACEHOLDER.test(trimmed)) return { kind: 'none', reason: 'placeholder' };
  const tokens = splitUrls(trimmed.replace(/(h+t+p+s?\s*:\s*\/\/?)\s+/gi, '$1'));
  const first = tokens[0]!;
  const email = EMAIL.exec(stripJunk(first));
  if (email && tokens.length === 1) {
    return { kind: 'email', email: `${email[1]}@${email[2]!.toLowerCase()}` };
  }
  const url = canonicalUrl(first, options);
  if (typeof url !== 'string') return { kind: 'invalid', text: trimmed, reason: url.reason };
  const others = tokens
    .slice(1)
    .map((t) => canonicalUrl(t, options))
    .filter((u): u is string => typeof u === 'string');
  return { kind: 'url', url, others };
}

// Several URLs in one field are separated by spaces, ", " or "and"; a word without a dot after
// a URL is the rest of its path ("www.x.org/serving neighbors").
function splitUrls(text: string): string[] {
  const looksLikeUrl = (word: string) => /[a-z0-9-]\.[a-z]{2,}|:\/\//i.test(word);
  const words = text.split(/[,;]?\s+/).filter((w) => w !== '');
  const out: string[] = [];
  words.forEach((word, i) => {
    if (out.length === 0 || looksLikeUrl(word)) out.push(word);
    else if (!(/^(?:and|or|&)$/i.test(word) && looksLikeUrl(words[i + 1] ?? ''))) {
      out[out.length - 1] += ` ${word}`;
    }
  });
  return out;
}

function stripJunk(text: string): string {
  let out = text.replace(/^[<("'[\s]+/, '').replace(/[>"'\]\s,;:!?*]+$/, '');
  for (;;) {
    const before = out;
    out = out.replace(/\.+$/, '');
    if (out.endsWith(')') && !out.includes('(')) out = out.slice(0, -1);
    if (out === before) return out;
  }
}

function canonicalUrl(token: string, options: UrlOptions): string | { reason: string } {
  let text = stripJunk(token);
  const typo = SCHEME_TYPOS.exec(text);
  if (typo) {
    const secure = /https/i.test(typo[0]);
    text = `${secure ? 'https' : 'http'}://${text.slice(typo[0].length)}`;
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(text) && !/^[^:/]+:\d/.test(text)) {
    return { reason: `not a web address (scheme ${text.slice(0, text.indexOf(':'))})` };
  } else text = `${options.defaultScheme ?? 'http'}://${text.replace(/^\/+/, '')}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { reason: 'not a URL' };
  }
  if (url.username || url.password) return { reason: 'user name or password in the URL' };
  const host = url.hostname.replace(/\.$/, '');
  if (!isHostName(host)) return { reason: `not a host name: ${host || '(none)'}` };
  url.hostname = host;
  if (url.search === '') url.search = '';
  if (url.hash === '') url.hash = '';
  // Junk at the end of what the URL standard writes ("/a.?" → "/a." with an empty query) would
  // be stripped by the next pass: strip it now, so that a normalised URL normalises to itself.
  const href = rfc3986(url.href);
  return stripJunk(href) === href ? href : canonicalUrl(stripJunk(href), options);
}

// The URL standard leaves `|`, `^`, `` ` ``, `{`, `}` and `\` unescaped in paths, queries and
// fragments; RFC 3986 (the `uri` format HSDS validates against) does not allow them.
function rfc3986(href: string): string {
  return href.replace(/[|^`{}\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

// A registered name (letters, digits and hyphens in dot-separated labels, ending in an
// alphabetic top-level label) or an IPv4/IPv6 address.
function isHostName(host: string): boolean {
  if (/^\[[0-9a-f:.]+\]$/.test(host) || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host)) return true;
  const labels = host.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return false;
  return /^(?:[a-z]{2,63}|xn--[a-z0-9-]{2,59})$/.test(labels.at(-1)!);
}
