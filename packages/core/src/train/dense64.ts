import { UsageError } from '../errors';
import type { Tensor } from '../tf';
import type { DenseArchRef, DenseNet64 } from '../nn/dense64';
import { readCheckpoint, type ModelFingerprint } from './checkpoint';
import { paramsToTensors, tensorsToParams } from './mlp';
import type { HostParams, LayerShape } from './types';

/** What a network read from a checkpoint carries besides its parameters. */
export interface DenseNet64Meta {
  activation: string;
  arch?: DenseArchRef;
}

/**
 * Float32 host parameters (the trainer's checkpoint and init form, [out, in]) as a {@link DenseNet64}: every
 * value widened to float64, exactly (float32 -> float64 is lossless), so `denseNet64ToHost` gives the same bits back.
 *
 * @example const net = denseNet64FromHost(readCheckpoint(dir).params, { activation: 'relu' });
 */
export function denseNet64FromHost(params: HostParams, meta: DenseNet64Meta): DenseNet64 {
  return {
    activation: meta.activation,
    ...(meta.arch ? { arch: meta.arch } : {}),
    layers: params.map((l) => ({ in: l.in, out: l.out, W: Float64Array.from(l.w), ...(l.b ? { b: Float64Array.from(l.b) } : {}) })),
  };
}

/**
 * A {@link DenseNet64} as float32 host parameters (the trainer's init and checkpoint form). Each value is rounded
 * to the nearest float32 (`Float32Array.from`), so a net that came from float32 parameters returns bit for bit.
 *
 * @example trainMlp({ ..., init: () => denseNet64ToHost(net) })
 */
export function denseNet64ToHost(net: DenseNet64): HostParams {
  return net.layers.map((l) => ({ out: l.out, in: l.in, w: Float32Array.from(l.W), b: l.b ? Float32Array.from(l.b) : undefined }));
}

/** The layer shapes of a {@link DenseNet64}, as the trainer's tensor helpers take them. */
export function denseNet64Shapes(net: DenseNet64): LayerShape[] {
  return net.layers.map((l) => ({ out: l.out, in: l.in, bias: Boolean(l.b) }));
}

/**
 * The trainer's float32 tfjs model (tensors in its internal layout: Wt_0 [in, out], b_0, Wt_1, ...; see
 * `paramsToTensors`) as a {@link DenseNet64}, widened exactly to float64. The tensors are not disposed.
 */
export function denseNet64FromTensors(tensors: Tensor[], shapes: LayerShape[], meta: DenseNet64Meta): DenseNet64 {
  return denseNet64FromHost(tensorsToParams(tensors, shapes), meta);
}

/** A {@link DenseNet64} as the trainer's float32 tensors (internal layout, caller disposes); values rounded to float32. */
export function denseNet64ToTensors(net: DenseNet64): Tensor[] {
  return paramsToTensors(denseNet64ToHost(net));
}

/**
 * The architecture and activation a checkpoint's fingerprint records. The trainer labels input-dependent
 * activations with the σ's of their q(x), e.g. `gauss(sw=1,sb=1)`: the label is split into the id and σ's.
 */
export function denseNet64MetaOf(fp: ModelFingerprint): DenseNet64Meta {
  const m = /^([\w-]+)\(sw=([^,]+),sb=([^)]+)\)$/.exec(fp.activation);
  if (m) return { activation: m[1], arch: { id: fp.arch, sigmaW: Number(m[2]), sigmaB: Number(m[3]) } };
  return { activation: fp.activation, arch: { id: fp.arch } };
}

/** A {@link DenseNet64} read from a trainer checkpoint, with the checkpoint's record of the run. */
export interface CheckpointNet64 {
  net: DenseNet64;
  fingerprint: ModelFingerprint;
  dir: string;
  /** Epochs completed. */
  epoch: number;
  /** The last recorded epoch metrics (test accuracy etc.), when present. */
  lastMetrics?: Record<string, number>;
}

/**
 * Read the network of a checkpoint directory written by `nnsym train --checkpoint DIR` (`writeCheckpoint`) as a
 * {@link DenseNet64}: parameters widened exactly from float32, activation id and architecture from the
 * fingerprint. Errors are one line and name `flag`.
 *
 * @example
 * const { net } = readDenseNet64('runs/tanh');
 * compareNetworks(net, readDenseNet64('runs/tanh2').net, x, ['cka']); // @nnsym/weight-space
 */
export function readDenseNet64(dir: string, options: { flag?: string } = {}): CheckpointNet64 {
  const flag = options.flag ?? '--checkpoint';
  let ck: ReturnType<typeof readCheckpoint>;
  try {
    ck = readCheckpoint(dir);
  } catch (e) {
    throw new UsageError(`${flag}: ${(e as Error).message.replace(/^(--)?checkpoint: /, '')}`, flag);
  }
  const fp = ck.meta.fingerprint;
  const hist = ck.meta.history;
  return { net: denseNet64FromHost(ck.params, denseNet64MetaOf(fp)), fingerprint: fp, dir, epoch: ck.meta.epoch, lastMetrics: hist.length ? hist[hist.length - 1] : undefined };
}
