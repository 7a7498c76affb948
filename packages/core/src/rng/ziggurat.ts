/**
 * Tables for Marsaglia & Tsang's ziggurat method for the standard normal (J. Stat. Software 5(8), 2000), with
 * 128 layers. Index and value use disjoint bits of one 32-bit draw (7 bits of index, a 25-bit signed value),
 * which removes the index/value correlation of the original RNOR (Doornik, 2005).
 */
export const ZIG_R = 3.442619855899;
const V = 9.91256303526217e-3;
const M = 16777216; // 2^24: the value is a signed 25-bit integer in (-2^24, 2^24)

export const kn = new Int32Array(128);
export const wn = new Float64Array(128);
export const fn = new Float64Array(128);

(function setup() {
  let dn = ZIG_R;
  let tn = dn;
  const q = V / Math.exp(-0.5 * dn * dn);
  kn[0] = Math.floor((dn / q) * M);
  kn[1] = 0;
  wn[0] = q / M;
  wn[127] = dn / M;
  fn[0] = 1;
  fn[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(V / dn + Math.exp(-0.5 * dn * dn)));
    kn[i + 1] = Math.floor((dn / tn) * M);
    tn = dn;
    fn[i] = Math.exp(-0.5 * dn * dn);
    wn[i] = dn / M;
  }
})();
