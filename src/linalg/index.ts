export { type DenseMatrix, type MatrixInput, multiplyVector, takeRows, toDenseMatrix } from './denseMatrix.js';
export { type LbfgsOptions, type LbfgsResult, lbfgs } from './lbfgs.js';
