export * from './generated.js';
export { hsdsSchemas } from './schemas/index.js';
export type { HsdsPropertySchema, HsdsTableSchema } from './table-schema.js';
export {
  type BatchOptions,
  type HsdsBatch,
  invalidShare,
  isHsdsRecord,
  type RecordValidation,
  type TableCounts,
  type ValidateOptions,
  type ValidationReport,
  validateRecord,
  validateRecords,
} from './validate.js';
export type { HsdsValidationError } from './validation-error.js';
