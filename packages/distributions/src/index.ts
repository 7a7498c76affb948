// @nnsym/distributions public entry: named re-exports only.
export { registerDistributionPlugins } from './register-all';
export type { Distribution, DistributionInvariance, DistributionPlugin } from './types';
export { BUILTIN_DISTRIBUTIONS, createDistribution, getDistributionPlugin } from './dists/builtin';
export { iidInvariance } from './dists/define';
export { normalDistribution, normalConfig } from './dists/normal';
export { uniformDistribution, uniformConfig } from './dists/uniform';
export { laplaceDistribution, laplaceConfig } from './dists/laplace';
export { studentTDistribution, studentTConfig } from './dists/student-t';
export { pointMassDistribution, pointMassConfig } from './dists/point-mass';
export type { InitRule, InitSpec, ResolvedBlock, ResolvedParamInit } from './init/types';
export { parseInitSpec, formatInitSpec } from './init/parse';
export { resolveInit, resolveParamInit, ruleMatches } from './init/resolve';
export type { InitOptions } from './init/resolve';
export { compileInitSpec, sampleResolved } from './init/compile';
export { initSpecSampler } from './init/init-sampler';
