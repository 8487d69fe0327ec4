// The registrable domain of a website, for comparison: `https://www.btc.edu/x` → `btc.edu`.
// Hosts that many unrelated organisations share (social networks, site builders, link
// shorteners, review sites) say nothing about identity and give no domain.

const SHARED_HOSTS = [
  'facebook.com',
  'fb.com',
  'instagram.com',
  'twitter.com',
  'x.com',
  'linkedin.com',
  'youtube.com',
  'tiktok.com',
  'yelp.com',
  'google.com',
  'goo.gl',
  'bit.ly',
  'tinyurl.com',
  'linktr.ee',
  'blogspot.com',
  'wordpress.com',
  'wixsite.com',
  'wix.com',
  'weebly.com',
  'squarespace.com',
  'godaddysites.com',
  'webs.com',
  'tripod.com',
  'angelfire.com',
  'yahoo.com',
  'meetup.com',
  'eventbrite.com',
  'nextdoor.com',
  'guidestar.org',
  'idealist.org',
  'findhelp.org',
  'auntbertha.com',
  'github.io',
  'netlify.app',
  'herokuapp.com',
];

// Second-level labels under which the third label is the registrant (`k12.wa.us`, `co.uk`).
const PUBLIC_SECOND_LEVEL = new Set([
  'co',
  'com',
  'org',
  'net',
  'gov',
  'edu',
  'ac',
  'k12',
  'lib',
  'ci',
  'state',
]);
const US_STATE = /^[a-z]{2}$/;

function hostOf(website: string): string | undefined {
  const text = website.trim().toLowerCase().split(/\s+/)[0] ?? '';
  if (!text || (text.includes('@') && !text.includes('/'))) return undefined;
  try {
    const host = new URL(/^[a-z][a-z0-9+.-]*:\/\//.test(text) ? text : `http://${text}`).hostname;
    const bare = host.replace(/\.$/, '').replace(/^www\d*\./, '');
    return /\.[a-z]{2,}$/.test(bare) ? bare : undefined;
  } catch {
    return undefined;
  }
}

function isShared(host: string): boolean {
  return SHARED_HOSTS.some((s) => host === s || host.endsWith(`.${s}`));
}

/**
 * The domain an organisation registered, or undefined for no URL, an e-mail address, an IP
 * address or a shared host. US locality domains keep their registrant label
 * (`nv.k12.wa.us`, `ci.seattle.wa.us`); two-level country suffixes keep three labels.
 */
export function registrableDomain(website: string | undefined): string | undefined {
  const host = website ? hostOf(website) : undefined;
  if (!host || isShared(host)) return undefined;
  const labels = host.split('.');
  if (labels.length <= 2) return host;
  const tld = labels.at(-1)!;
  const second = labels.at(-2)!;
  if (tld === 'us' && US_STATE.test(second)) return labels.slice(-4).join('.');
  const keep = tld.length === 2 && PUBLIC_SECOND_LEVEL.has(second) ? 3 : 2;
  return labels.slice(-keep).join('.');
}
