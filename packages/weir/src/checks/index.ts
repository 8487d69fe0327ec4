/**
 * @module checks
 * Built-in checks on tabular values (arrays of row objects): schema and drift, row count,
 * value bounds, uniqueness, not-null. Each returns a `CheckDefinition` to attach to an asset.
 */
export type { BuiltinCheckOptions, Rows, TabularCheck } from './_table.js';
export { type BoundsCheckOptions, boundsCheck } from './bounds.js';
export { type NotNullCheckOptions, notNullCheck } from './not-null.js';
export { type RowCountCheckOptions, rowCountCheck } from './row-count.js';
export {
  type ColumnSpec,
  type ColumnType,
  inferSchema,
  type ObservedSchema,
  type SchemaCheckOptions,
  type SchemaDrift,
  schemaCheck,
  schemaDrift,
  type ZodObjectLike,
} from './schema.js';
export { type UniqueCheckOptions, uniqueCheck } from './unique.js';
