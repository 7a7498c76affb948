import { createEnsemble, type EnsemblePartial } from '@nnsym/core';
import { formatInitSpec, parseInitSpec, resolveInit } from '@nnsym/distributions';
import type { CliContext } from './context';
import { finalizeEnsemblePartial } from './options';

// The `nnsym sample` result, built from a complete `moments` partial: shared by the command and `nnsym merge`.

/** What `moments` finalises to (see @nnsym/core's momentsEstimator). */
interface MomentsFinal {
  count: number;
  inputs: number;
  dOut: number;
  mean: number[];
  meanSE: number[];
  variance: number[];
  varianceSE: number[];
  outputs?: number[][][];
}

/** Precision line of every sample result. */
export const SAMPLE_PRECISION = 'float32 sampling and evaluation (tfjs); moments accumulated in float64';

const matrix = (a: readonly number[], P: number, dOut: number): number[][] => Array.from({ length: P }, (_, p) => a.slice(p * dOut, (p + 1) * dOut));

/**
 * The `nnsym sample` result of a complete `moments` partial: the ensemble's identity (architecture, init and its
 * laws, inputs, chunking) read from the partial's spec, and the moments (and outputs) from its state. One run, its
 * shards merged by `nnsym merge` and a resumed run all print this, so they agree field for field.
 */
export function sampleResultFromPartial(p: EnsemblePartial, timing?: { elapsedSeconds: number; networksPerSecond: number; threads?: number }): Record<string, unknown> {
  const arch = createEnsemble(p.spec).arch;
  const f = finalizeEnsemblePartial(p).result as MomentsFinal;
  const P = f.inputs;
  let init = 'normal (NN-QFT default: W ~ N(0, σ_w²/fan_in), b ~ N(0, σ_b²))';
  let initLaws: Record<string, unknown>[] | undefined;
  if (p.spec.init !== undefined) {
    const spec = parseInitSpec(p.spec.init as Parameters<typeof parseInitSpec>[0], '--init');
    init = formatInitSpec(spec);
    initLaws = resolveInit(spec, arch.layout(), { flag: '--init' }).map((r) => ({ param: r.name, law: r.base.describe(), blocks: r.blocks.map((b) => ({ rows: b.rows, cols: b.cols, law: b.dist.describe() })) }));
  }
  const moments = { mean: matrix(f.mean, P, f.dOut), meanSE: matrix(f.meanSE, P, f.dOut), variance: matrix(f.variance, P, f.dOut), varianceSE: matrix(f.varianceSE, P, f.dOut) };
  return {
    architecture: { id: arch.id, ...arch.spec },
    init,
    ...(initLaws ? { initLaws } : {}),
    ensemble: p.spec.ensemble,
    networks: p.networks,
    chunkSize: p.spec.chunkSize,
    chunks: p.chunks,
    ...(timing?.threads && timing.threads > 1 ? { threads: timing.threads } : {}),
    inputs: p.spec.points,
    ...(timing ? { elapsedSeconds: timing.elapsedSeconds, networksPerSecond: timing.networksPerSecond } : {}),
    ...(f.outputs ? { mode: 'outputs', outputs: f.outputs, outputShape: '[network][input][output]', moments } : { mode: 'moments', moments }),
  };
}

/** Print a sample result as text (the command's and `nnsym merge`'s). */
export function printSample(c: CliContext, r: Record<string, unknown>): void {
  const a = r.architecture as { id: string; width: number; dIn: number; dOut: number; parameterization: string };
  const m = r.moments as { mean: number[][]; meanSE: number[][]; variance: number[][]; varianceSE: number[][] };
  const P = m.mean.length;
  c.out(`${a.id}: ${r.networks} networks (width ${a.width}, d_in ${a.dIn}, d_out ${a.dOut}, ${a.parameterization}), ${P} inputs, init ${r.init}`);
  const outputs = r.outputs as number[][][] | undefined;
  outputs?.forEach((net, i) => c.out(`net ${i}: ${net.map((o) => (a.dOut === 1 ? o[0].toPrecision(6) : `[${o.map((v) => v.toPrecision(6)).join(', ')}]`)).join('  ')}`));
  c.out('input  output  mean ± SE  variance ± SE (float64)');
  for (let p = 0; p < P; p++) {
    for (let d = 0; d < a.dOut; d++) c.out(`${String(p).padStart(5)}  ${String(d).padStart(6)}  ${m.mean[p][d].toPrecision(6)} ± ${m.meanSE[p][d].toPrecision(2)}  ${m.variance[p][d].toPrecision(6)} ± ${m.varianceSE[p][d].toPrecision(2)}`);
  }
}
