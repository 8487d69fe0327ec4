export * from './generated.js';
export { hsdsSchemas } from './schemas/index.js';
export type { HsdsPropertySchema, HsdsTableSchema } from './table-schema.js';
