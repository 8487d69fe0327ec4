// Garbled-accent repair of one value, with the value's place recorded either way.
import { repairGarbledText } from './garbled.js';
import type { FlaggedValue, RepairedValue, SourcePosition } from './source.js';

export interface RepairLog {
  readonly repaired: RepairedValue[];
  readonly flagged: FlaggedValue[];
}

/** The value with its garbled accents repaired; what was done, or doubted, is logged. */
export function repairValue(
  value: string,
  file: string,
  field: string,
  at: SourcePosition,
  log: RepairLog,
): string {
  const result = repairGarbledText(value);
  const place = { file, line: at.line, column: at.column, field };
  if (result.repairs > 0) log.repaired.push({ ...place, before: value, after: result.text });
  if (result.doubts.length > 0) {
    log.flagged.push({ ...place, value: result.text, reasons: result.doubts });
  }
  return result.text;
}
