/**
 * The agencies whose exports feed the directory: each names its export's layout (a mapper of
 * @weir/hsds) and how often it delivers. An agency is a partition of `agency_feed` and `hsds`;
 * one appears when its export lands in `inbox/` (`<agency>.<ext>`), so adding an agency whose
 * layout exists is one entry here, and one with a new layout one mapper file more.
 */
import { layouts, type Mapper } from '@weir/hsds';
import type { FreshnessPolicy } from 'weir';

export interface Agency {
  /** Who they are, in a line. */
  name: string;
  /** The layout of their export: a key of @weir/hsds `layouts`. */
  layout: string;
  /** The export's file extension in `inbox/`. */
  extension: 'csv' | 'json' | 'txt';
  /** How often a new export is due: the feed's freshness policy. */
  delivers: FreshnessPolicy;
  /** The share of records that may fail HSDS validation before the agency is held back. */
  maxInvalidShare?: number;
}

export const AGENCIES: Readonly<Record<string, Agency>> = {
  'dc-211': {
    name: 'DC 211 (iCarol/ReferNET export)',
    layout: 'icarol-211',
    extension: 'csv',
    delivers: { maxLag: '2d' },
  },
  'sf-211': {
    name: 'San Francisco 211 (iCarol export, 166 columns)',
    layout: 'icarol-211-extended',
    extension: 'csv',
    delivers: { maxLag: '2d' },
  },
  linksf: {
    name: 'LinkSF directory of San Francisco services (JSON)',
    layout: 'linksf',
    extension: 'json',
    delivers: { maxLag: '8d' },
  },
  'sf-apd': {
    name: "San Francisco Adult Probation Department's resource guide (plain text)",
    layout: 'apd-directory',
    extension: 'txt',
    delivers: { maxLag: '35d' },
  },
  'sf-dcyf': {
    name: "San Francisco Department of Children, Youth and Their Families' program list",
    layout: 'dcyf-programs',
    extension: 'csv',
    delivers: { maxLag: '100d' },
  },
  'wa-211': {
    name: 'Washington 211 organisations and locations (Open Referral CSV)',
    layout: 'openreferral-csv',
    extension: 'csv',
    delivers: { maxLag: '8d' },
  },
};

/** The agency of a partition key, or an error that says how to register it. */
export function agencyOf(key: string): Agency & { key: string; mapper: Mapper } {
  const agency = AGENCIES[key];
  if (agency === undefined) {
    throw new Error(
      `agency '${key}' has an export in inbox/ but no entry in src/agencies.ts: add one naming its layout (${Object.keys(layouts).join(', ')})`,
    );
  }
  const mapper = layouts[agency.layout];
  if (mapper === undefined) {
    throw new Error(
      `agency '${key}': layout '${agency.layout}' is not one of @weir/hsds's layouts (${Object.keys(layouts).join(', ')})`,
    );
  }
  return { ...agency, key, mapper };
}
