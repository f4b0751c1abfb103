/**
 * The meta-learners, one module each under `learners/`; this file keeps the
 * import path the campaign code uses. @internal
 */
export * from './learners/index.js';
export { type UpliftModel, UpliftModelSchema } from './schema.js';
