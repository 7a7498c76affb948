/**
 * A real function of one real variable in float64, e.g. an activation φ: R -> R applied entrywise (the quadratures of
 * @nnsym/ntk and the float64 networks of @nnsym/weight-space take one).
 *
 * @example const relu: ScalarFn = (z) => (z > 0 ? z : 0);
 */
export type ScalarFn = (z: number) => number;
