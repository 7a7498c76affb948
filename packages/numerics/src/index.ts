// Public entry of @nnsym/numerics: float64 host maths (dense matrices, square-matrix helpers and Haar sampling,
// decompositions, distribution tails, a symmetric eigensolver, log-log fits) shared by the science packages.
export type { Mat } from './matrix';
export type { ScalarFn } from './types';
export {
  zeros, eye, matFrom, matFromFlat, toNested, transpose, matmul, matmulTN, matmulNT, frobenius, sub as matSub,
  scale as matScale, centerColumns, normalizeColumns,
} from './matrix';
export {
  eyeSquare, matmulSquare, transposeSquare, matvecSquare, maxAbsDiff, det, orthogonalityError, qrQ, haarOrthogonal,
  haarSpecialOrthogonal, expm, orthonormalCompletion, orthonormalize,
} from './square';
export { lstsq, inverse, svd, nuclearNorm } from './decompositions';
export { betaI, chiSquareSf, fSf, normalTwoSidedP, symmetricEigen, pseudoInverseForm, pseudoInverseSolve, resolvableEigenTol } from './stats';
export { logLogSlope } from './log-log-fit';
export type { LogLogFit } from './log-log-fit';
