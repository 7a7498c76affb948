import { UsageError } from '../errors';
import { gather } from '../train/trainer';
import { describeNormalization, normalizeDataset, parseNormalization } from './normalize';
import { limitSplit, type Dataset } from './types';

/** Six 2-pixel byte images, pixel values 0, 51, ..., 255 and 255 - those; labels i mod 2. */
function byteSet(): Dataset {
  const x = new Uint8Array(12).map((_, k) => (k % 2 === 0 ? 51 * (k / 2) : 255 - 51 * ((k - 1) / 2)));
  const split = { n: 6, d: 2, x, scale: 1 / 255, y: new Uint8Array(6).map((_, i) => i % 2) };
  return { id: 'bytes', numClasses: 2, inputShape: [2], train: split, test: { ...split }, source: 'test bytes' };
}

describe('parseNormalization', () => {
  it('reads MEAN,STD and the presets; none is no normalisation', () => {
    expect(parseNormalization('0.286, 0.353')).toEqual({ mean: 0.286, std: 0.353 });
    expect(parseNormalization('fashion-mnist-paper')).toEqual({ mean: 0.1307, std: 0.3081 });
    expect(parseNormalization('paper')).toEqual({ mean: 0.1307, std: 0.3081 });
    expect(parseNormalization('none')).toBeUndefined();
    expect(describeNormalization({ mean: 0.1307, std: 0.3081 })).toBe('(x - 0.1307) / 0.3081');
  });
  it('rejects malformed values with a message naming the flag', () => {
    for (const bad of ['0.1', '0.1,0.2,0.3', 'a,b', '0.1,0', '0.1,-1', ',0.3', 'papr']) {
      expect(() => parseNormalization(bad, '--normalize')).toThrow(UsageError);
      expect(() => parseNormalization(bad, '--normalize')).toThrow(/^--normalize: /);
    }
  });
});

describe('normalizeDataset', () => {
  it('gathers (pixel / 255 - mean) / std, the torchvision ToTensor + Normalize value, on both splits', () => {
    const ds = normalizeDataset(byteSet(), { mean: 0.1307, std: 0.3081 });
    expect(ds.source).toContain('(x - 0.1307) / 0.3081');
    for (const split of [ds.train, ds.test]) {
      const idx = Int32Array.from({ length: 6 }, (_, i) => 5 - i);
      const xb = new Float32Array(12);
      const yb = new Int32Array(6);
      gather(split, idx, 0, 6, xb, yb);
      for (let r = 0; r < 6; r++) {
        for (let k = 0; k < 2; k++) {
          const pixel = byteSet().train.x[(5 - r) * 2 + k];
          // Reference in float64, straight from the definition (torchvision: ToTensor = p / 255, then (t - m) / s).
          const want = (pixel / 255 - 0.1307) / 0.3081;
          expect(Math.abs(xb[r * 2 + k] - want)).toBeLessThan(4e-7 * Math.max(1, Math.abs(want)));
        }
        expect(yb[r]).toBe((5 - r) % 2);
      }
    }
  });
  it('leaves the data set unchanged without a normalisation, and limitSplit keeps the offset', () => {
    const raw = byteSet();
    expect(normalizeDataset(raw, undefined)).toBe(raw);
    const ds = normalizeDataset(raw, { mean: 0.5, std: 0.25 });
    const sub = limitSplit(ds.train, 3);
    expect(sub.offset).toBe(ds.train.offset);
    expect(sub.scale).toBe(ds.train.scale);
    const xb = new Float32Array(6);
    gather(sub, Int32Array.from([0, 1, 2]), 0, 3, xb, new Int32Array(3));
    for (let i = 0; i < 6; i++) expect(xb[i]).toBeCloseTo((sub.x[i] / 255 - 0.5) / 0.25, 6);
  });
});
