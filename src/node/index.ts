export { type ReadCsvOptions, readCsv } from './readCsv.js';
export { type DuckdbEngine, type DuckdbEngineOptions, duckdbEngine } from './duckdbEngine.js';
