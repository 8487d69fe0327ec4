// E-mail fields as exported: sometimes several addresses, sometimes words ("use linkedin for
// Joyce"), sometimes `mailto:`. HSDS's `email` holds one address in the `email` format.

/** The `email` format HSDS validates against (ajv-formats' fast form). */
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

export interface EmailNormalisation {
  /** The first valid address, lower-cased domain; undefined when the field has none. */
  email?: string;
  /** Further valid addresses in the field. */
  others: string[];
}

/** Reads the e-mail addresses in a field. Never throws. */
export function normaliseEmail(text: string): EmailNormalisation {
  const found: string[] = [];
  for (const token of text.split(/[\s,;<>()[\]"]+/)) {
    const candidate = token.replace(/^mailto:/i, '').replace(/\.+$/, '');
    if (!EMAIL.test(candidate)) continue;
    const at = candidate.lastIndexOf('@');
    const address = `${candidate.slice(0, at)}@${candidate.slice(at + 1).toLowerCase()}`;
    if (!found.includes(address)) found.push(address);
  }
  const [email, ...others] = found;
  return email === undefined ? { others } : { email, others };
}
