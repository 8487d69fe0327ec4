// A mapper: how one export layout becomes HSDS, as a declarative table of which column fills
// which HSDS field, plus the few functions a layout needs (LinkSF lists several services per
// facility; its hours are JSON). `mapExport` applies the normalisers and sets the ids.
import type { HsdsPhoneType, HsdsScheduleFields, PhoneOptions } from '../normalise/index.js';
import type { SourceRecord } from '../read/index.js';
import type { FieldRef } from './field.js';

/** The service fields a layout fills straight from a column (text as exported, trimmed). */
export type ServiceTextField =
  | 'alternate_name'
  | 'description'
  | 'interpretation_services'
  | 'application_process'
  | 'fees_description'
  | 'wait_time'
  | 'accreditations'
  | 'eligibility_description'
  | 'licenses'
  | 'alert';

/** A phone field: its text (one or several numbers), and how to type and label them. */
export interface PhoneField {
  value: FieldRef;
  /** A label such as `Intake Number` or `Fax`: typed from its words (fax, TTY…) and kept as the description. */
  label?: FieldRef;
  type?: HsdsPhoneType;
}

/** An address as columns, or as one line of text (`519 Ellis St., San Francisco, CA 94109`). */
export type AddressSpec =
  | {
      type: 'physical' | 'postal';
      columns: {
        address_1: FieldRef;
        address_2?: FieldRef;
        city?: FieldRef;
        state_province?: FieldRef;
        postal_code?: FieldRef;
        country?: FieldRef;
        attention?: FieldRef;
      };
    }
  | { type: 'physical' | 'postal'; line: FieldRef };

/**
 * Taxonomy: AIRS/211 codes with the export's terms, or a layout's own categories (split at `;`
 * and `,`, or at `separator` when the category names themselves hold commas).
 */
export type TaxonomyField =
  | { codes: FieldRef; terms?: FieldRef; paths?: FieldRef }
  | { categories: FieldRef; taxonomy: string; separator?: string };

/** The service fields a layout fills with a whole number of years (`minimum_age`, `maximum_age`). */
export type ServiceAgeField = 'minimum_age' | 'maximum_age';

export interface MapperSpec {
  /** The layout's name, lower case with dashes (`icarol-211`); the key of `layouts`. */
  layout: string;
  /** One line: which system writes exports in this layout. */
  description: string;
  format: 'csv' | 'json' | 'apd';
  /**
   * Options for the CSV reader: the column names of a layout without a header row, and the
   * delimiter when it is not a comma (`';'` as Excel writes in many locales, `'\t'`).
   */
  csv?: { header?: readonly string[]; delimiter?: string };
  /**
   * The columns (JSON paths with `[]` for array items, APD keys) the mapping relies on. An
   * export without one of them has drifted: it was renamed or dropped upstream.
   */
  requiredColumns: readonly string[];
  /** The services one source record lists (default: the record is one service). */
  services?: (record: SourceRecord) => readonly SourceRecord[];
  /**
   * A record whose id repeats an earlier one's is kept under `<id> (line N)` (`keep`, the
   * default); with `drop`, one whose fields are all the same as that earlier record's (an
   * export that lists an item twice) is left out, with a warning, and counted as skipped.
   */
  identicalRepeats?: 'keep' | 'drop';
  /** Records that are not services (headings, notes, an example row). */
  skip?: (record: SourceRecord) => string | undefined;
  /** The agency's own id of a record; default `line N`. */
  recordId?: FieldRef;
  organization: {
    name: FieldRef;
    description?: FieldRef;
    website?: FieldRef;
    email?: FieldRef;
    /** What identifies the organization within the export (default its name). */
    key?: FieldRef;
  };
  service: { name: FieldRef; url?: FieldRef; email?: FieldRef } & Partial<
    Record<ServiceTextField | ServiceAgeField, FieldRef>
  >;
  /** A status column (Active, Inactive, …); without one every service is active. */
  status?: FieldRef;
  /** Why a record must not be offered in search although active (`ExcludeFromDirectory`). */
  hidden?: (record: SourceRecord) => boolean;
  phones?: readonly PhoneField[];
  phoneOptions?: Pick<PhoneOptions, 'defaultAreaCode'>;
  location?: {
    name?: FieldRef;
    description?: FieldRef;
    transportation?: FieldRef;
    latitude?: FieldRef;
    longitude?: FieldRef;
    addresses?: readonly AddressSpec[];
  };
  /** Opening hours as text ("9:00 am - 5:00 pm, Monday - Friday"). */
  hours?: FieldRef;
  /** Opening hours that are not text (LinkSF's JSON), as schedule rows. */
  hoursRows?: (record: SourceRecord) => HoursRows;
  languages?: FieldRef | readonly FieldRef[];
  /** One taxonomy field, or several (an export with codes on some records, term names on others). */
  taxonomy?: TaxonomyField | readonly TaxonomyField[];
  /** When the agency last changed the record, as an ISO date (see `usDate`). */
  updatedAt?: FieldRef;
}

/** Schedule rows with what could not be read. */
export interface HoursRows {
  schedules: HsdsScheduleFields[];
  problems: string[];
}

export type Mapper = Readonly<MapperSpec>;

/** Checks a mapper's table once, where it is written, so a typo is an error at import. */
export function defineMapper(spec: MapperSpec): Mapper {
  if (!/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(spec.layout)) {
    throw new TypeError(
      `mapper layout ${JSON.stringify(spec.layout)}: use lower case letters, digits and dashes, e.g. 'icarol-211'`,
    );
  }
  if (spec.requiredColumns.length === 0) {
    throw new TypeError(
      `mapper '${spec.layout}': list the columns it relies on in requiredColumns (drift detection needs them)`,
    );
  }
  return Object.freeze({ ...spec });
}
