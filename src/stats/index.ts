export { normalCdf, normalPdf, normalQuantile, normalSf } from './normal.js';
export { studentTCdf, studentTPdf, studentTQuantile, studentTSf } from './studentT.js';
export { chiSquareCdf, chiSquareQuantile, chiSquareSf } from './chiSquare.js';
export { betaCdf, betaQuantile, betaSf } from './beta.js';
