// Named re-exports of the ensemble area: chunked, seeded, sharded sampling + evaluation of network ensembles.
export type { EnsembleOptions, EnsembleChunk, EnsemblePlan, EnsembleEvent, ShardSpec, EnsemblePath, EnsemblePathRequest } from './types';
export { ensembleChunks, evaluateChunk, evaluateChunkTfjs, prepareEnsembleRun, ensemblePlan, inputTensor, inputPoints, inputCount } from './chunks';
export type { EvaluateChunkOptions, EnsembleRun } from './chunks';
export { evaluateChunkHost } from './host-chunk';
export { compileHostNet, hostForward } from './host-net';
export type { HostNet } from './types';
export { hostActivation, fastTanh64, fastErf64 } from './host-activations';
export type { HostActivation, HostActivationKernel } from './host-activations';
export { chooseEnsemblePath, parseEnsemblePath, hostRuleApplies, ENSEMBLE_PATH_ENV, HOST_MAX_OUTPUTS, HOST_MAX_INPUT_TERMS } from './path';
export type { EnsemblePathChoice } from './path';
export { ensemble$, isEnsembleChunk } from './observable';
export { chunkCount, chunkRng, defaultChunkSize, DEFAULT_CHUNK_BYTES } from './plan';
export { OutputMoments } from './moments';
export type { OutputMomentsResult, OutputMomentsState } from './moments';
export { runShardWorkers, threadShard, closeShardWorkers, ShardWorkerPool } from './threads';
export type { ShardWorkerTask, ShardWorkerContext } from './threads';
