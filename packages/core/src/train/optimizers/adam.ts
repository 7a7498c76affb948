import { z } from 'zod';
import { tf } from '../../tf';
import type { Tensor, Variable } from '../../tf';
import { heapSimdKernels, wasmHeapOffset, wasmHeapView } from '../../backend/wasm-heap';
import type { Optimizer, OptimizerPlugin } from '../types';
import { slotsFromHost, slotsToHost, zeroSlots } from './slots';

/** Adam hyper-parameters (the learning rate comes from the schedule). */
export interface AdamConfig {
  beta1: number;
  beta2: number;
  epsilon: number;
}

const f32 = Math.fround;

/**
 * One fused Adam update of a parameter in place on the wasm heap: a single pass over (theta, m, v, g) instead of ten
 * tfjs kernels with their temporaries. Every operation is the float32 operation of the tfjs path, in the same order,
 * rounded with Math.fround (a float64 +, -, *, / or sqrt of float32 operands rounded to float32 is the correctly
 * rounded float32 result, since 53 >= 2·24 + 2), so the result is bit-identical to that path's. The bulk of each
 * tensor goes through the wasm SIMD kernel `heapSimdKernels().adam` (same operations, 4 lanes); this loop does the
 * tail, or everything where wasm SIMD is absent.
 */
function adamInPlace(
  p: Float32Array,
  m: Float32Array,
  v: Float32Array,
  g: Float32Array,
  b1: number,
  omb1: number,
  b2: number,
  omb2: number,
  c2: number,
  lrc1: number,
  eps: number,
): void {
  const n = p.length;
  for (let j = 0; j < n; j++) {
    const gj = g[j];
    const mj = f32(f32(m[j] * b1) + f32(gj * omb1));
    const vj = f32(f32(v[j] * b2) + f32(f32(gj * gj) * omb2));
    m[j] = mj;
    v[j] = vj;
    const denom = f32(f32(Math.sqrt(f32(vj * c2))) + eps);
    p[j] = f32(p[j] - f32(f32(mj * lrc1) / denom));
  }
}

/** Options of {@link createAdam} that are not hyper-parameters. */
export interface AdamOptions {
  /**
   * Update on the host, in place on the wasm heap, where every tensor is there (default true; numbers equal to the
   * tfjs path bit for bit). False: ten tfjs kernels per parameter tensor (every backend).
   */
  fused?: boolean;
  /** In the fused path, use the wasm SIMD kernel where available (default true); false: the JS loop only (tests). */
  simd?: boolean;
}

/**
 * Adam (Kingma & Ba, arXiv 1412.6980, Algorithm 1), with PyTorch's placement of epsilon:
 * m <- b1 m + (1-b1) g; v <- b2 v + (1-b2) g^2; theta <- theta - lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps).
 * On the wasm backend the update is one fused host pass per tensor (see {@link AdamOptions.fused}).
 *
 * @example
 * const opt = createFromPlugin(adamOptimizer, {});   // b1 0.9, b2 0.999, eps 1e-8
 */
export function createAdam(config: AdamConfig, options: AdamOptions = {}): Optimizer {
  const { beta1, beta2, epsilon } = config;
  const fused = options.fused ?? true;
  let m: Variable[] | undefined;
  let v: Variable[] | undefined;
  let t = 0;
  return {
    id: 'adam',
    step({ params, grads, lr }) {
      const ms = (m ??= zeroSlots(params));
      const vs = (v ??= zeroSlots(params));
      t += 1;
      const c1 = 1 / (1 - Math.pow(beta1, t));
      const c2 = 1 / (1 - Math.pow(beta2, t));
      // Fused host path, per tensor where all four are on the wasm heap and theta, m, v own their data.
      const rest: number[] = [];
      const simd = fused && options.simd !== false ? heapSimdKernels() : undefined;
      const h = [f32(beta1), f32(1 - beta1), f32(beta2), f32(1 - beta2), f32(c2), f32(lr * c1), f32(epsilon)] as const;
      params.forEach((p, i) => {
        const off = fused ? fusedOffsets(p, ms[i], vs[i], grads[i]) : undefined;
        if (!off) return void rest.push(i);
        // 4 lanes at a time in wasm SIMD where available (the same IEEE float32 operations), the rest in JS.
        const n = p.size;
        const done = simd ? n & ~3 : 0;
        if (done) simd!.adam(off[0], off[1], off[2], off[3], done * 4, ...h);
        if (done < n) {
          const view = (t: Tensor) => wasmHeapView(t)!.subarray(done);
          adamInPlace(view(p), view(ms[i]), view(vs[i]), view(grads[i]), ...h);
        }
      });
      if (rest.length === 0) return;
      tf.tidy(() => {
        rest.forEach((i) => {
          const p = params[i];
          const g = grads[i];
          const mi = tf.add(tf.mul(ms[i], beta1), tf.mul(g, 1 - beta1));
          const vi = tf.add(tf.mul(vs[i], beta2), tf.mul(tf.square(g), 1 - beta2));
          ms[i].assign(mi);
          vs[i].assign(vi);
          const denom = tf.add(tf.sqrt(tf.mul(vi, c2)), epsilon);
          p.assign(tf.sub(p, tf.div(tf.mul(mi, lr * c1), denom)));
        });
      });
    },
    getState: () => ({ slots: m && v ? [...slotsToHost(m), ...slotsToHost(v)] : [], scalars: { t } }),
    setState(state, shapes) {
      this.dispose();
      const k = shapes.length;
      if (state.slots.length) {
        m = slotsFromHost(state.slots.slice(0, k), shapes, 'adam m');
        v = slotsFromHost(state.slots.slice(k), shapes, 'adam v');
      }
      t = state.scalars['t'] ?? 0;
    },
    dispose() {
      m?.forEach((s) => s.dispose());
      v?.forEach((s) => s.dispose());
      m = v = undefined;
    },
  };
}

/** Heap byte offsets of (theta, m, v, g) when all four are on the wasm heap and theta, m, v own their data. */
function fusedOffsets(p: Tensor, m: Tensor, v: Tensor, g: Tensor): [number, number, number, number] | undefined {
  if (p.size !== g.size || p.size !== m.size || p.size !== v.size) return undefined;
  const po = wasmHeapOffset(p, true);
  const mo = po === undefined ? undefined : wasmHeapOffset(m, true);
  const vo = mo === undefined ? undefined : wasmHeapOffset(v, true);
  const go = vo === undefined ? undefined : wasmHeapOffset(g);
  return go === undefined ? undefined : [po!, mo!, vo!, go];
}

/** Plugin of {@link createAdam}. */
export const adamOptimizer: OptimizerPlugin<AdamConfig> = {
  meta: {
    id: 'adam',
    kind: 'optimizer',
    description: 'Adam (PyTorch form: bias-corrected moments, eps outside the sqrt)',
    version: '1.0.0',
    reference: 'Kingma & Ba, arXiv 1412.6980',
  },
  configSchema: z
    .object({
      beta1: z.number().min(0).lt(1).default(0.9),
      beta2: z.number().min(0).lt(1).default(0.999),
      epsilon: z.number().positive().default(1e-8),
    })
    .strict(),
  create: createAdam,
};
