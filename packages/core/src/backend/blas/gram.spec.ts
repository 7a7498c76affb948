/**
 * gramRows (ssyrk on the wasm heap) against a float64 reference within the float32 bound γ_k Σ|a_i||a_j| + u|g|,
 * exactly symmetric, and equal to tf.matMul(a, a, false, true) with the BLAS kernels off (the fallback). Skipped,
 * with the reason logged, where no BLAS library loads.
 */
import { tf } from '../../tf';
import { Rng } from '../../rng/rng';
import { initBackend } from '../backend';
import { findBlas } from './library';
import { blasState } from './state';
import { gramRows } from './gram';

const probe = findBlas(process.env['NNSYM_BLAS'] && !/^(off|0|false|none|auto|on)$/i.test(process.env['NNSYM_BLAS']) ? process.env['NNSYM_BLAS'] : undefined);
const blasOff = /^(off|0|false|none)$/i.test(process.env['NNSYM_BLAS'] ?? '');
const skipReason = blasOff ? 'NNSYM_BLAS=off' : probe.ok ? undefined : probe.reason;
if (skipReason) console.warn(`gramRows ssyrk tests SKIPPED: ${skipReason}`);
const d = skipReason ? describe.skip : describe;

beforeAll(async () => {
  await initBackend({ backend: 'wasm', env: {} });
});

d('gramRows (cblas_ssyrk)', () => {
  it('equals the float64 Gram within γ_k Σ|a||a| + u|g|, is exactly symmetric, and leaks no tensor', () => {
    expect(blasState.lib?.ssyrk).toBeDefined();
    const rng = new Rng(3, ['gram']);
    const u = 2 ** -24;
    for (const [r, k] of [[130, 70], [64, 512], [5, 3]]) {
      const a = rng.normalArray(r * k);
      const before = tf.memory().numTensors;
      const t = tf.tensor2d(a, [r, k]);
      const g = gramRows(t);
      const gd = g.dataSync() as Float32Array;
      tf.dispose([t, g]);
      expect(tf.memory().numTensors).toBe(before);
      const gk = (k * u) / (1 - k * u);
      for (let i = 0; i < r; i++) {
        for (let j = 0; j < r; j++) {
          if (gd[i * r + j] !== gd[j * r + i]) throw new Error(`gram ${r}x${k}: not symmetric at (${i}, ${j})`);
          let s = 0;
          let mag = 0;
          for (let p = 0; p < k; p++) {
            s += a[i * k + p] * a[j * k + p];
            mag += Math.abs(a[i * k + p] * a[j * k + p]);
          }
          const err = Math.abs(gd[i * r + j] - s);
          if (err > gk * mag + u * Math.abs(s)) throw new Error(`gram ${r}x${k} (${i}, ${j}): |err| ${err} > ${gk * mag + u * Math.abs(s)}`);
        }
      }
    }
  });

  it('upperOnly: the upper triangle equals the mirrored result', () => {
    const rng = new Rng(5, ['gram']);
    const t = tf.tensor2d(rng.normalArray(90 * 40), [90, 40]);
    const full = gramRows(t).dataSync() as Float32Array;
    const up = gramRows(t, { upperOnly: true }).dataSync() as Float32Array;
    let n = 0;
    for (let i = 0; i < 90; i++) for (let j = i; j < 90; j++, n++) if (up[i * 90 + j] !== full[i * 90 + j]) throw new Error(`(${i}, ${j}) differs`);
    expect(n).toBe((90 * 91) / 2);
    t.dispose();
  });

  it('with the BLAS kernels off it is tf.matMul(a, a, false, true) bit for bit', () => {
    const rng = new Rng(4, ['gram']);
    const t = tf.tensor2d(rng.normalArray(40 * 90), [40, 90]);
    const was = blasState.kernels;
    blasState.kernels = false;
    try {
      const g = gramRows(t);
      const m = tf.matMul(t, t, false, true);
      expect(Array.from(g.dataSync())).toEqual(Array.from(m.dataSync()));
      tf.dispose([g, m]);
    } finally {
      blasState.kernels = was;
    }
    t.dispose();
  });
});
