import { UsageError } from '../errors';
import { Rng } from '../rng/rng';
import type { SeedKey } from '../rng/hash';
import type { Architecture } from '../nn/types';
import { layoutSize } from '../nn/params';
import type { EnsemblePlan, ShardSpec } from './types';

/** Default memory budget of one chunk (parameters + activations + outputs), bytes. */
export const DEFAULT_CHUNK_BYTES = 64 * 1024 * 1024;

/**
 * A chunk size that keeps one chunk's tensors under `budgetBytes` (default 64 MB): float32 parameters plus ~3
 * live [N, P] activation buffers per hidden layer plus the outputs, per network; clamped to [1, 65536].
 *
 * @example defaultChunkSize(createArchitecture('gauss-net', { width: 1000 }), 8) // ≈ 500
 */
export function defaultChunkSize(arch: Architecture, inputs: number, budgetBytes = DEFAULT_CHUNK_BYTES): number {
  const params = arch.layout().reduce((s, L) => s + layoutSize(L), 0);
  const acts = 3 * arch.spec.width * inputs * Math.max(1, arch.spec.depth) + 2 * inputs * arch.spec.dOut;
  const perNet = 4 * (params + acts);
  return Math.max(1, Math.min(65536, Math.floor(budgetBytes / perNet)));
}

/**
 * The chunks of an ensemble of `ensemble` networks in chunks of `chunkSize`, and the ones `shard` computes
 * (shard i of n takes chunks c = i, i + n, i + 2n, ...). Bad sizes throw a UsageError naming the field.
 */
export function planEnsemble(ensemble: number, chunkSize: number, shard?: ShardSpec): EnsemblePlan {
  if (!Number.isInteger(ensemble) || ensemble < 1) throw new UsageError(`ensemble size must be a positive integer, got ${ensemble}`, 'ensemble');
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new UsageError(`chunk size must be a positive integer, got ${chunkSize}`, 'chunkSize');
  const chunks = Math.ceil(ensemble / chunkSize);
  const index = shard?.index ?? 0;
  const count = shard?.count ?? 1;
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 0 || index >= count) {
    throw new UsageError(`shard must be i/n with 0 <= i < n, got ${index}/${count}`, 'shard');
  }
  const mine: number[] = [];
  let networks = 0;
  for (let c = index; c < chunks; c += count) {
    mine.push(c);
    networks += chunkCount(ensemble, chunkSize, c);
  }
  return { ensemble, chunkSize, chunks, mine, networks };
}

/** Networks in chunk c: chunkSize, or the remainder in the last chunk. */
export function chunkCount(ensemble: number, chunkSize: number, c: number): number {
  return Math.max(0, Math.min(chunkSize, ensemble - c * chunkSize));
}

/**
 * The random stream of chunk c of the ensemble with seed `seed`: `Rng.derive(seed, 'ensemble', c)`; parameter
 * `name` then draws from `.fork(name)` = `Rng.derive(seed, 'ensemble', c, name)`.
 */
export function chunkRng(seed: SeedKey, c: number): Rng {
  return Rng.derive(seed, 'ensemble', c);
}
