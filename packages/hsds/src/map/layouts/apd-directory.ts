// A plain-text resource directory (`apd_export.txt`, read by `readApdExport`): one block per
// program, titled `Organization   Program` (or the organization alone), a description that
// often ends with the website, and `key: value` lines whose keys vary from block to block
// (`Phone`, `Phone (2)`, `Fax`, `Location`, `Hours`, `Facility Hours`, `Languages Spoken`,
// `Eligible Population`, `Client fees, if any`…), closed by `Direct Services: a; b; c.`
import type { SourceRecord } from '../../read/index.js';
import { constant, firstOf } from '../field.js';
import { defineMapper, type PhoneField } from '../mapper.js';

/** `Phone`, `Phone (2)`… as the reader names a key repeated in one block. */
function repeated(key: string, count: number): string[] {
  return [key, ...Array.from({ length: count - 1 }, (_, i) => `${key} (${i + 2})`)];
}

const phone = (key: string, label?: string): PhoneField => ({
  value: key,
  ...(label === undefined ? {} : { label: constant(label) }),
});

/** The website the description ends with (`… www.chp-sf.org`), when no `url:` line gives one. */
function websiteInDescription(record: SourceRecord): string | undefined {
  const match = /(?:https?:\/\/|\bwww\.)[^\s,;()]+[^\s,;().]/i.exec(
    record.fields.description ?? '',
  );
  return match?.[0];
}

/**
 * The `Direct Services` list as category names: items split at `;` (at `,` where a block uses
 * no `;`), each cut at its first sentence end (`Transit Vouchers. Referrals to other resources
 * available as needed.` → `Transit Vouchers`); sentences and items of more than eight words are
 * prose, not a category, and are left out (they stay in the record's text).
 */
function directServices(record: SourceRecord): string | undefined {
  const text = record.fields['Direct Services'] ?? record.fields['Direct Service'];
  if (text === undefined) return undefined;
  const items = text.includes(';') ? text.split(';') : text.split(',');
  const names = items
    .map((item) =>
      item
        .replace(/\s+/g, ' ')
        .trim()
        .split(/\.(?:\s|$)/)[0]!
        .trim(),
    )
    .map((item) => item.replace(/^(?:and|or)\s+/i, '').replace(/[.:]+$/, ''))
    .filter((item) => item !== '' && item.split(' ').length <= 8);
  return names.length === 0 ? undefined : names.join(';');
}

export const apdDirectory = defineMapper({
  layout: 'apd-directory',
  description:
    'A plain-text resource directory: one titled block per program with key: value lines',
  format: 'apd',
  requiredColumns: [
    'title',
    'description',
    'Phone',
    'Fax',
    'Email',
    'Location',
    'Hours',
    'Languages Spoken',
    'Eligible Population',
    'Client fees, if any',
    'Direct Services',
  ],
  recordId: 'title',
  organization: {
    name: firstOf('organization', 'title'),
  },
  service: {
    name: firstOf('program', 'title'),
    description: 'description',
    url: firstOf('url', 'Website', websiteInDescription),
    email: firstOf('Email', 'Email (2)'),
    eligibility_description: firstOf(
      'Eligible Population',
      'Eligible Populations',
      'Eligible Population Served',
      'Eligibility Criteria',
    ),
    fees_description: firstOf(
      'Client fees, if any',
      'Client fees',
      'Client Fees',
      'Client fee, if any',
    ),
    application_process: 'To Get Connected',
  },
  phones: [
    ...repeated('Phone', 4).map((key) => phone(key)),
    phone('Main Phone', 'Main'),
    phone('Office Phone', 'Office'),
    phone('Crisis Line', 'Crisis line'),
    phone('Emergency Center Phone', 'Emergency center'),
    { value: 'TDD', type: 'textphone' },
    ...repeated('Fax', 4).map((key): PhoneField => ({ value: key, type: 'fax' })),
  ],
  location: {
    addresses: [
      { type: 'physical', line: firstOf('Location', 'Address', 'Office Location') },
      { type: 'postal', line: firstOf('Mailing Address', 'Administration Mailing Address') },
    ],
  },
  hours: firstOf('Hours', 'Facility Hours', 'Clinic Hours', 'Drop-in Hours', 'Days and Hours'),
  languages: ['Languages Spoken', 'Languages', 'Language(s) Spoken'],
  taxonomy: { categories: directServices, taxonomy: 'APD direct services', separator: ';' },
});
