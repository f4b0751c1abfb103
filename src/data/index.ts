export {
  Dataset,
  type CategoricalColumn,
  type Column,
  type ColumnValues,
  type NumericColumn,
  columnLabels,
} from './dataset.js';
export { fromColumns } from './fromColumns.js';
export { type FromRowsOptions, fromRows } from './fromRows.js';
export { type CsvOptions, parseCsv } from './parseCsv.js';
export { type FormatCsvOptions, formatCsv } from './formatCsv.js';
export type { ColumnType, DatasetSchema, ZodIssueLike, ZodObjectLike, ZodResultLike } from './schema.js';
export type { CsvEncoding } from './fieldText.js';
export { type Assignment, type AssignmentOptions, codeAssignment } from './assignment.js';
export {
  type BinaryDescription,
  BinaryDescriptionSchema,
  type CategoryDescription,
  CategoryDescriptionSchema,
  type ColumnDescription,
  ColumnDescriptionSchema,
  type DatasetDescription,
  DatasetDescriptionSchema,
  type DescribeOptions,
  type NumberDescription,
  NumberDescriptionSchema,
  describe,
} from './describe.js';
export { type NaturalBreaks, naturalBreaks } from './naturalBreaks.js';
