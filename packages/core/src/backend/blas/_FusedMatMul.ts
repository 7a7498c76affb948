/**
 * `_FusedMatMul` (tf.fused.matMul: matmul + bias + activation) for the wasm backend through CBLAS sgemm. The bias
 * rows are written into C first and sgemm accumulates onto them (beta = 1); the activation is applied in place on
 * the heap view. Supports what the wasm kernel supports: rank-1 bias (length n or 1) and the activations linear,
 * relu, relu6, elu, prelu (weights of size n or 1), leakyrelu, sigmoid. Anything else, BLAS off, or non-float32
 * inputs go to the wasm kernel, which computes or rejects them as before.
 */
import type { KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap } from '@tensorflow/tfjs';
import { heapIndex, planGemm, runGemm, type TensorInfoLike, type WasmBackendLike } from './heap-gemm';
import { kernelBlas } from './state';

/** Activations of the wasm `_FusedMatMul` kernel (tfjs-backend-wasm's FusableActivation enum). */
export const FUSED_ACTIVATIONS = ['linear', 'relu', 'relu6', 'prelu', 'leakyrelu', 'sigmoid', 'elu'] as const;

/** Apply a fused activation in place on `c` (rows of length n). `alpha` holds the prelu weights (length n or 1). */
export function applyActivationInPlace(c: Float32Array, activation: string, alpha: Float32Array | undefined, leakyAlpha: number): void {
  const len = c.length;
  switch (activation) {
    case 'linear':
      return;
    case 'relu':
      for (let i = 0; i < len; i++) if (!(c[i] > 0)) c[i] = c[i] !== c[i] ? c[i] : 0;
      return;
    case 'relu6':
      for (let i = 0; i < len; i++) {
        const x = c[i];
        c[i] = x !== x ? x : x < 0 ? 0 : x > 6 ? 6 : x;
      }
      return;
    case 'elu':
      for (let i = 0; i < len; i++) if (c[i] < 0) c[i] = Math.expm1(c[i]);
      return;
    case 'sigmoid':
      for (let i = 0; i < len; i++) c[i] = 1 / (1 + Math.exp(-c[i]));
      return;
    case 'leakyrelu':
      for (let i = 0; i < len; i++) if (c[i] < 0) c[i] *= leakyAlpha;
      return;
    case 'prelu': {
      if (!alpha) throw new Error('prelu activation without weights');
      const w = alpha;
      const p = w.length;
      if (p === 1) {
        for (let i = 0; i < len; i++) if (c[i] < 0) c[i] *= w[0];
      } else {
        for (let i = 0; i < len; i++) if (c[i] < 0) c[i] *= w[i % p];
      }
      return;
    }
  }
}

/** Wrap the wasm backend's own _FusedMatMul config (`original`) into the BLAS one. */
export function blasFusedMatMulConfig(original: KernelConfig): KernelConfig {
  const fallback = original.kernelFunc;
  const kernelFunc = (args: { inputs: NamedTensorInfoMap; backend: unknown; attrs?: NamedAttrMap }) => {
    const lib = kernelBlas();
    const { a, b, bias, preluActivationWeights: prelu } = args.inputs as Record<string, TensorInfoLike | undefined>;
    const attrs = args.attrs ?? {};
    const transposeA = Boolean(attrs['transposeA']);
    const transposeB = Boolean(attrs['transposeB']);
    const activation = String(attrs['activation'] ?? 'linear');
    const leakyAlpha = Number(attrs['leakyreluAlpha'] || 0);
    const plan = lib && a && b && a.dtype === 'float32' && b.dtype === 'float32' ? planGemm(a.shape, b.shape, transposeA, transposeB) : undefined;
    const supported =
      plan &&
      (FUSED_ACTIVATIONS as readonly string[]).includes(activation) &&
      (!bias || (bias.dtype === 'float32' && bias.shape.length === 1 && (bias.shape[0] === plan.n || bias.shape[0] === 1))) &&
      (activation !== 'prelu' || (prelu !== undefined && prelu.dtype === 'float32' && [1, plan.n].includes(prelu.shape.reduce((p, d) => p * d, 1))));
    if (!lib || !plan || !supported || !a || !b) return fallback(args as Parameters<KernelFunc>[0]);
    const backend = args.backend as WasmBackendLike;
    const out = backend.makeOutput(plan.outShape, 'float32');
    const heap = new Float32Array(backend.wasm.HEAPU8.buffer);
    const view = (t: TensorInfoLike) => {
      const off = heapIndex(backend, t);
      return heap.subarray(off, off + t.shape.reduce((p, d) => p * d, 1));
    };
    const rows = plan.batch * plan.m;
    if (bias && rows * plan.n > 0) {
      const c = view(out);
      const bv = view(bias);
      if (bv.length === 1) c.fill(bv[0]);
      else for (let r = 0; r < rows; r++) c.set(bv, r * plan.n);
    }
    const c = runGemm(lib, backend, plan, a, b, out, transposeA, transposeB, bias ? 1 : 0);
    applyActivationInPlace(c, activation, prelu ? view(prelu) : undefined, leakyAlpha);
    return out as ReturnType<KernelFunc>;
  };
  return { ...original, kernelFunc: kernelFunc as unknown as KernelFunc };
}
