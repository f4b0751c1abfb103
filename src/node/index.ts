export { type ReadCsvOptions, readCsv } from './readCsv.js';
