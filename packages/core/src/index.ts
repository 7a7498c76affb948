// @nnsym/core public entry: named re-exports only.
export { NnsymError, UsageError, isNnsymError } from './errors';
export { NNSYM_VERSION } from './version';
export { tf } from './tf';
export type { Tensor, Tensor1D, Tensor2D, Tensor3D, Rank, Variable } from './tf';

export { Registry } from './registry/registry';
export { PluginHost, plugins } from './registry/kinds';
export type { PluginKinds, ArchitectureMap, ActivationMap, DistributionMap, GroupActionMap, DatasetMap, OptimizerMap } from './registry/kinds';
export { createFromPlugin } from './registry/plugin';
export type { Plugin, PluginMeta, AnyPlugin, ConfigOf, InstanceOf } from './registry/plugin';
export { closestId, editDistance } from './registry/closest';

export { initBackend, currentBackend, describeBackend, parseBackendName, BACKEND_ORDER } from './backend/backend';
export type { BackendInfo, BackendName } from './backend/backend';

export { Rng, normaliseSeed } from './rng/rng';
export type { FloatArray } from './rng/rng';
export { deriveState, hashString, fmix32 } from './rng/hash';
export type { SeedKey } from './rng/hash';

export { isEvent, parseEvent } from './events/events';
export type {
  NnsymEvent,
  NnsymEventType,
  RunStartEvent,
  EpochStartEvent,
  BatchEndEvent,
  EpochEndEvent,
  ProgressEvent,
  MetricEvent,
  CheckpointEvent,
  RunEndEvent,
  ErrorEvent,
} from './events/events';
export { throttleProgress } from './operators/throttle-progress';
export { toJsonl, stringifyEvent } from './operators/to-jsonl';
export { takeUntilRunEnd } from './operators/take-until-run-end';
export { summarizeEpochs } from './operators/summarize-epochs';
export type { EpochTable } from './operators/summarize-epochs';
export { registerCorePlugins } from './register-all';

// Areas owned by separate modules, each with its own named re-exports:
export * from './nn/public';
export * from './ensemble/public';
export * from './inputs/public';
export * from './train/public';
export * from './datasets/public';
