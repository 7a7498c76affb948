// Named re-exports of the ensemble area: chunked, seeded, sharded sampling + evaluation of network ensembles.
export type { EnsembleOptions, EnsembleChunk, EnsemblePlan, EnsembleEvent, ShardSpec } from './types';
export { ensembleChunks, evaluateChunk, ensemblePlan, inputTensor, inputCount } from './chunks';
export { ensemble$, isEnsembleChunk } from './observable';
export { planEnsemble, chunkCount, chunkRng, defaultChunkSize, DEFAULT_CHUNK_BYTES } from './plan';
export { OutputMoments } from './moments';
export type { OutputMomentsResult } from './moments';
