import {
  Rng, resolveActivation, tf, UsageError, xentLoss, type DataSplit, type PluginHost, type SeedKey, type Tensor, type Tensor1D, type Tensor2D, type Variable,
} from '@nnsym/core';
import { lstsq, svd, zeros, type Mat } from '@nnsym/numerics';
import { linearAssignment } from '../nets/assignment';
import { assertComparableArchitectures } from '../similarity/networks';
import { forwardMlp, mlpSizes, type DenseNetF64 } from '../nets/mlp';

/**
 * The stitching layers of Godfrey et al. 2022 (section 4.1, after Bansal et al. 2021):
 * - `identity`: no trainable layer, h_A fed to B's tail as is (the raw mismatch);
 * - `full`: h -> S h + c, S any [p, p] (the usual stitching layer; contains every intertwiner of every sigma);
 * - `low-rank`: h -> U V h + c with U [p, r], V [r, p];
 * - `grelu`: h -> P D h, P the permutation matching B's neurons to A's (linear assignment on activation cosines),
 *   D a learned positive diagonal (parametrised as exp(s)): exactly the group G_relu acting on post-activations;
 * - `grelu-random`: the same with a random permutation instead of the matching one (control: does the activation
 *   basis of A correspond to that of B?).
 */
export const STITCH_KINDS = ['identity', 'full', 'low-rank', 'grelu', 'grelu-random'] as const;
/** One of {@link STITCH_KINDS}. */
export type StitchKind = (typeof STITCH_KINDS)[number];

/** Options of {@link stitchNetworks}. */
export interface StitchOptions {
  kind: StitchKind;
  /** Hidden layer l: A's layers 0..l feed the stitch, B's layers l+1.. follow it. */
  layer: number;
  /** Rank of `low-rank` (default 4). */
  rank?: number;
  /** Training data for the stitch (A and B frozen) and the test data for the accuracies. */
  train: DataSplit;
  test: DataSplit;
  numClasses: number;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  seed?: SeedKey;
  host?: PluginHost;
  /** Called after every epoch (progress). */
  onEpoch?: (epoch: number, loss: number) => void;
}

/** Accuracies (test split) and the stitching penalty acc(B) - acc(stitched). */
export interface StitchResult {
  kind: StitchKind;
  layer: number;
  rank?: number;
  accuracyA: number;
  accuracyB: number;
  /** Accuracy of the stitched network before training the stitch (at its least-squares / matching init). */
  accuracyInit: number;
  accuracyStitched: number;
  /** acc(B) - acc(stitched), in accuracy points (fraction): the stitching penalty. */
  penalty: number;
  trainableParameters: number;
  lossHistory: number[];
  precision: string;
}

const hiddenCache = new WeakMap<DenseNetF64, WeakMap<DataSplit, Map<number, Float32Array>>>();

/**
 * Hidden layer l of `net` on a split, float64 forward pass in chunks, returned as float32 [n, width]. Cached per
 * (network object, split object, layer), since one network is stitched many times.
 */
function hiddenOn(net: DenseNetF64, split: DataSplit, layer: number): Float32Array {
  let bySplit = hiddenCache.get(net);
  if (!bySplit) hiddenCache.set(net, (bySplit = new WeakMap()));
  let byLayer = bySplit.get(split);
  if (!byLayer) bySplit.set(split, (byLayer = new Map()));
  const hit = byLayer.get(layer);
  if (hit) return hit;
  const h = computeHidden(net, split, layer);
  byLayer.set(layer, h);
  return h;
}

function computeHidden(net: DenseNetF64, split: DataSplit, layer: number): Float32Array {
  const width = net.layers[layer].out;
  const out = new Float32Array(split.n * width);
  const chunk = 1000;
  const head: DenseNetF64 = { ...net, layers: [...net.layers.slice(0, layer + 1), { in: width, out: 1, W: new Float64Array(width) }] };
  for (let from = 0; from < split.n; from += chunk) {
    const to = Math.min(split.n, from + chunk);
    const x: Mat = { rows: to - from, cols: split.d, data: new Float64Array((to - from) * split.d) };
    for (let i = 0; i < x.data.length; i++) x.data[i] = split.x[from * split.d + i] * split.scale;
    out.set(forwardMlp(head, x).hidden[layer].data, from * width);
  }
  return out;
}

const asMat = (data: Float32Array, rows: number, cols: number): Mat => ({ rows, cols, data: Float64Array.from(data) });

/**
 * Stitch network A into network B at hidden layer `layer` with a trainable layer of the given kind, train only
 * the stitch on the task loss (softmax cross-entropy, Adam; A and B frozen), and report the stitching penalty
 * acc(B) - acc(stitched) on the test split. Initialisation: least squares h_B ~ S h_A + c (full), its truncated
 * SVD (low-rank), the activation-matching permutation with least-squares positive scales (grelu).
 *
 * Precision: representations in float64 on the host, training and test accuracies in float32 (tfjs).
 *
 * @example
 * const r = await stitchNetworks(netA, netB, { kind: 'grelu', layer: 0, train, test, numClasses: 10 });
 * r.penalty; // e.g. 0.004
 */
export async function stitchNetworks(a: DenseNetF64, b: DenseNetF64, o: StitchOptions): Promise<StitchResult> {
  assertComparableArchitectures(mlpSizes(a), mlpSizes(b));
  const hiddenCount = a.layers.length - 1;
  if (!Number.isInteger(o.layer) || o.layer < 0 || o.layer >= hiddenCount)
    throw new UsageError(`layer must be a hidden layer in 0..${hiddenCount - 1}, got ${o.layer}`, 'layer');
  const p = a.layers[o.layer].out;
  const q = b.layers[o.layer].out;
  if (o.kind === 'identity' && p !== q)
    throw new UsageError(`kind identity needs equal widths at layer ${o.layer} (${p} vs ${q})`, 'kind');
  if ((o.kind === 'grelu' || o.kind === 'grelu-random') && p !== q)
    throw new UsageError(`kind ${o.kind} needs equal widths at layer ${o.layer} (${p} vs ${q})`, 'kind');
  const rank = o.rank ?? 4;
  if (o.kind === 'low-rank' && (!Number.isInteger(rank) || rank < 1 || rank > Math.min(p, q)))
    throw new UsageError(`rank must be in 1..${Math.min(p, q)}, got ${rank}`, 'rank');
  if (!b.activation) throw new UsageError('stitch: network B has no activation id (needed for its tail in tfjs)', '--b');
  const act = resolveActivation(b.activation, o.host);
  // Input-dependent activations (gauss: exp(z - q(x))) need q(x) of the network input, which neither the float64
  // forward pass (phi(z) of a DenseNet64) nor the stitched tail (it sees h_A, not x) has: not supported.
  if (act.needsContext)
    throw new UsageError(
      `stitch: activation "${b.activation}" depends on the input (needs q(x)); stitching supports elementwise activations only`,
      '--b',
    );
  const epochs = o.epochs ?? 3;
  const batchSize = o.batchSize ?? 128;

  // Frozen representations.
  const hATrain = hiddenOn(a, o.train, o.layer);
  const hBTrain = hiddenOn(b, o.train, o.layer);
  const hATest = hiddenOn(a, o.test, o.layer);
  const hBTest = hiddenOn(b, o.test, o.layer);

  // Initial stitch parameters from least squares on (a subset of) the training representations.
  const nFit = Math.min(o.train.n, 5000);
  const xa = asMat(hATrain.subarray(0, nFit * p), nFit, p);
  const xb = asMat(hBTrain.subarray(0, nFit * q), nFit, q);
  const xa1: Mat = zeros(nFit, p + 1);
  for (let i = 0; i < nFit; i++) {
    xa1.data.set(xa.data.subarray(i * p, (i + 1) * p), i * (p + 1));
    xa1.data[i * (p + 1) + p] = 1;
  }
  // Drop dead units of A from the fit (all-zero columns make the system rank deficient) by a tiny ridge.
  const ridge: Mat = zeros(p + 1, p + 1);
  for (let i = 0; i < p; i++) ridge.data[i * (p + 1) + i] = 1e-6 * Math.sqrt(nFit);
  const stacked: Mat = { rows: nFit + p + 1, cols: p + 1, data: new Float64Array((nFit + p + 1) * (p + 1)) };
  stacked.data.set(xa1.data);
  stacked.data.set(ridge.data, nFit * (p + 1));
  const target: Mat = { rows: nFit + p + 1, cols: q, data: new Float64Array((nFit + p + 1) * q) };
  target.data.set(xb.data);
  const coef = lstsq(stacked, target).x; // [p + 1, q]: h_B ~ [h_A, 1] coef

  // Variables in the layout z = h M + c (M [p, q]).
  const vars: Variable[] = [];
  let permTensor: Tensor | undefined;
  let apply: (h: Tensor2D) => Tensor2D;
  let trainable = 0;
  const rng = new Rng(o.seed ?? 0, ['stitch', o.kind]);
  const variable = (t: Tensor): Variable => {
    const v = tf.variable(t, true);
    t.dispose();
    return v;
  };
  if (o.kind === 'identity') {
    apply = (h) => h;
  } else if (o.kind === 'full' || o.kind === 'low-rank') {
    const m = Float32Array.from(coef.data.subarray(0, p * q));
    const c = Float32Array.from(coef.data.subarray(p * q));
    const cVar = variable(tf.tensor1d(c));
    if (o.kind === 'full') {
      const mVar = variable(tf.tensor2d(m, [p, q]));
      vars.push(mVar, cVar);
      apply = (h) => tf.add(tf.matMul(h, mVar), cVar);
      trainable = p * q + q;
    } else {
      const { u, s, v } = svd({ rows: p, cols: q, data: Float64Array.from(m) });
      const U = new Float32Array(p * rank);
      const V = new Float32Array(rank * q);
      for (let i = 0; i < p; i++) for (let k = 0; k < rank; k++) U[i * rank + k] = u.data[i * u.cols + k] * Math.sqrt(s[k]);
      for (let k = 0; k < rank; k++) for (let j = 0; j < q; j++) V[k * q + j] = v.data[j * v.cols + k] * Math.sqrt(s[k]);
      const uVar = variable(tf.tensor2d(U, [p, rank]));
      const vVar = variable(tf.tensor2d(V, [rank, q]));
      vars.push(uVar, vVar, cVar);
      apply = (h) => tf.add(tf.matMul(tf.matMul(h, uVar), vVar), cVar);
      trainable = p * rank + rank * q + q;
    }
  } else {
    // G_relu: B's neuron j takes A's neuron perm[j], scaled by exp(s_j) > 0.
    const cos = zeros(q, p);
    const na = new Float64Array(p);
    const nb = new Float64Array(q);
    for (let i = 0; i < nFit; i++) {
      for (let k = 0; k < p; k++) na[k] += xa.data[i * p + k] ** 2;
      for (let j = 0; j < q; j++) nb[j] += xb.data[i * q + j] ** 2;
      for (let j = 0; j < q; j++) {
        const vb = xb.data[i * q + j];
        if (vb === 0) continue;
        for (let k = 0; k < p; k++) cos.data[j * p + k] += vb * xa.data[i * p + k];
      }
    }
    for (let j = 0; j < q; j++) for (let k = 0; k < p; k++) cos.data[j * p + k] /= Math.sqrt(nb[j] * na[k]) || 1;
    const perm = o.kind === 'grelu' ? linearAssignment(cos, { maximize: true }).rowToCol : rng.permutation(q);
    const logd = new Float32Array(q);
    for (let j = 0; j < q; j++) {
      // least-squares positive scale: d = <h_B,j, h_A,perm j> / |h_A,perm j|^2
      const k = perm[j];
      let dot = 0;
      for (let i = 0; i < nFit; i++) dot += xb.data[i * q + j] * xa.data[i * p + k];
      const d = na[k] > 0 && dot > 0 ? dot / na[k] : 1;
      logd[j] = Math.log(d);
    }
    const permT = tf.tensor1d(Int32Array.from(perm), 'int32');
    const sVar = variable(tf.tensor1d(logd));
    vars.push(sVar);
    apply = (h) => tf.mul(tf.gather(h, permT, 1), tf.exp(sVar)) as Tensor2D;
    trainable = q;
    permTensor = permT;
  }

  // B's tail: layers l+1.. as [in, out] tensors.
  const tail = b.layers.slice(o.layer + 1).map((L) => {
    const wt = new Float32Array(L.in * L.out);
    for (let i = 0; i < L.out; i++) for (let j = 0; j < L.in; j++) wt[j * L.out + i] = L.W[i * L.in + j];
    return { w: tf.tensor2d(wt, [L.in, L.out]), b: L.b ? tf.tensor1d(Float32Array.from(L.b)) : undefined };
  });
  const tailForward = (h: Tensor2D): Tensor2D => {
    let z: Tensor2D = h;
    tail.forEach((L, i) => {
      z = tf.matMul(z, L.w);
      if (L.b) z = tf.add(z, L.b);
      if (i < tail.length - 1) z = act.apply(z) as Tensor2D;
    });
    return z;
  };
  const accuracy = (h: Float32Array, width: number, split: DataSplit, stitched: boolean): number => {
    let correct = 0;
    for (let from = 0; from < split.n; from += 2000) {
      const to = Math.min(split.n, from + 2000);
      // The tidy returns the prediction tensor (a typed array returned from a tidy is walked element by element).
      const predT = tf.tidy(() => {
        const ht = tf.tensor2d(h.subarray(from * width, to * width), [to - from, width]);
        return xentLoss.predict(tailForward(stitched ? apply(ht) : ht));
      });
      const pred = predT.dataSync();
      predT.dispose();
      for (let i = 0; i < to - from; i++) if (pred[i] === split.y[from + i]) correct++;
    }
    return correct / split.n;
  };

  const accuracyB = accuracy(hBTest, q, o.test, false);
  // A's own accuracy: A's tail on A's representation.
  const accuracyA = (() => {
    let correct = 0;
    for (let from = 0; from < o.test.n; from += 2000) {
      const to = Math.min(o.test.n, from + 2000);
      const x: Mat = { rows: to - from, cols: o.test.d, data: new Float64Array((to - from) * o.test.d) };
      for (let i = 0; i < x.data.length; i++) x.data[i] = o.test.x[from * o.test.d + i] * o.test.scale;
      const out = forwardMlp(a, x).out;
      for (let i = 0; i < out.rows; i++) {
        let best = 0;
        for (let k = 1; k < out.cols; k++) if (out.data[i * out.cols + k] > out.data[i * out.cols + best]) best = k;
        if (best === o.test.y[from + i]) correct++;
      }
    }
    return correct / o.test.n;
  })();
  const accuracyInit = accuracy(hATest, p, o.test, true);

  const lossHistory: number[] = [];
  if (vars.length && epochs > 0) {
    const optimizer = tf.train.adam(o.lr ?? 1e-3);
    const n = o.train.n;
    const hb = new Float32Array(batchSize * p);
    const yb = new Int32Array(batchSize);
    for (let e = 0; e < epochs; e++) {
      const order = rng.permutation(n);
      let sum = 0;
      let count = 0;
      for (let from = 0; from + batchSize <= n; from += batchSize) {
        for (let r = 0; r < batchSize; r++) {
          const i = order[from + r];
          hb.set(hATrain.subarray(i * p, (i + 1) * p), r * p);
          yb[r] = o.train.y[i];
        }
        const lossT = tf.tidy(() => {
          const h = tf.tensor2d(hb, [batchSize, p]);
          const y = tf.tensor1d(yb, 'int32') as Tensor1D;
          return (
            optimizer.minimize(() => xentLoss.value(tailForward(apply(h)), y, o.numClasses) as tf.Scalar, true, vars) ?? tf.scalar(NaN)
          );
        });
        sum += lossT.dataSync()[0];
        lossT.dispose();
        count++;
      }
      lossHistory.push(sum / Math.max(1, count));
      o.onEpoch?.(e, sum / Math.max(1, count));
    }
    optimizer.dispose();
  }
  const accuracyStitched = accuracy(hATest, p, o.test, true);
  for (const v of vars) v.dispose();
  permTensor?.dispose();
  for (const L of tail) {
    L.w.dispose();
    L.b?.dispose();
  }
  return {
    kind: o.kind,
    layer: o.layer,
    rank: o.kind === 'low-rank' ? rank : undefined,
    accuracyA,
    accuracyB,
    accuracyInit,
    accuracyStitched,
    penalty: accuracyB - accuracyStitched,
    trainableParameters: trainable,
    lossHistory,
    precision: 'representations float64 (host); stitch training and accuracies float32 (tfjs)',
  };
}
