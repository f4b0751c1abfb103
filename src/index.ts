export { InputError, type InputReason, isInputError } from './errors.js';
export * from './data/index.js';
export * from './metrics/index.js';
export * from './stats/index.js';
export * from './experiment/index.js';
export * from './linalg/index.js';
export * from './models/index.js';
export * from './uplift/index.js';
export * from './features/index.js';
