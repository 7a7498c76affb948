/**
 * `BatchMatMul` for the wasm backend through CBLAS sgemm: every `tf.matMul` and the matmuls of every autodiff
 * gradient (tfjs's BatchMatMul and _FusedMatMul gradients are themselves BatchMatMuls) take it without call-site
 * changes. Transposes go to BLAS as flags (no transposed copy); batch dimensions broadcast as in tfjs.
 * Falls back to the wasm kernel (XNNPACK) when BLAS is off, for non-float32 inputs, and for shapes that kernel
 * rejects (so the error messages stay tfjs's own), and for batches of tiny matrices, where it is faster
 * (`SMALL_BATCHED_MNK`).
 */
import type { KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap } from '@tensorflow/tfjs';
import { planGemm, preferWasm, runGemm, type TensorInfoLike, type WasmBackendLike } from './heap-gemm';
import { kernelBlas } from './state';

/** Wrap the wasm backend's own BatchMatMul config (`original`) into the BLAS one. */
export function blasBatchMatMulConfig(original: KernelConfig): KernelConfig {
  const fallback = original.kernelFunc;
  const kernelFunc = (args: { inputs: NamedTensorInfoMap; backend: unknown; attrs?: NamedAttrMap }) => {
    const lib = kernelBlas();
    const a = args.inputs['a'] as TensorInfoLike;
    const b = args.inputs['b'] as TensorInfoLike;
    const transposeA = Boolean(args.attrs?.['transposeA']);
    const transposeB = Boolean(args.attrs?.['transposeB']);
    const plan = lib && a.dtype === 'float32' && b.dtype === 'float32' ? planGemm(a.shape, b.shape, transposeA, transposeB) : undefined;
    if (!lib || !plan || preferWasm(plan)) return fallback(args as Parameters<KernelFunc>[0]);
    const backend = args.backend as WasmBackendLike;
    const out = backend.makeOutput(plan.outShape, 'float32');
    runGemm(lib, backend, plan, a, b, out, transposeA, transposeB, 0);
    return out as ReturnType<KernelFunc>;
  };
  return { ...original, kernelFunc: kernelFunc as unknown as KernelFunc };
}
