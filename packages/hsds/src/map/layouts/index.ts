// Every export layout Weir can map, by name. A new layout is one file here and one line below.
import type { Mapper } from '../mapper.js';
import { apdDirectory } from './apd-directory.js';
import { dcyfPrograms } from './dcyf-programs.js';
import { icarol211 } from './icarol-211.js';
import { icarol211Extended } from './icarol-211-extended.js';
import { linksf } from './linksf.js';
import { openReferralCsv } from './openreferral-csv.js';

export { apdDirectory, dcyfPrograms, icarol211, icarol211Extended, linksf, openReferralCsv };

export const layouts: Readonly<Record<string, Mapper>> = Object.freeze({
  [icarol211.layout]: icarol211,
  [icarol211Extended.layout]: icarol211Extended,
  [linksf.layout]: linksf,
  [apdDirectory.layout]: apdDirectory,
  [dcyfPrograms.layout]: dcyfPrograms,
  [openReferralCsv.layout]: openReferralCsv,
});
