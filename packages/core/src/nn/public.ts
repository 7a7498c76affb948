// Named re-exports of the nn area: activations, architectures, parameter layouts and samplers.
export type {
  Activation,
  ActivationContext,
  ActivationPlugin,
  ActivationTraits,
  Architecture,
  ArchitectureCapabilities,
  ArchitectureConfig,
  ArchitecturePlugin,
  ArchitecturePluginCapabilities,
  ArchitectureSymmetry,
  HostParamSet,
  NetSpec,
  ParamLayout,
  ParamSampler,
  ParamSet,
  Parameterization,
  SingleHiddenInfo,
} from './types';
export { registerNnPlugins } from './register-all';
export { createActivation } from './resolve';
export { createArchitecture, knownArchitectures, architecturePlugin, architecturesWith } from './create-architecture';
export { denseArchitecture, denseLayout, denseApply, isDenseArchitecture } from './dense';
export { denseNet64Sizes, validateDenseNet64, cloneDenseNet64, denseNet64ParamCount, flattenDenseNet64, scalarActivation64, inputQ64 } from './dense64';
export type { DenseNet64, DenseLayer64, DenseArchRef, ScalarActivation64 } from './dense64';
export { gaussianSampler, sampleHostParams, uploadParams, disposeParams, layoutSize } from './params';
export { baseArchitectureFields, fixedActivationSchema, shallowSchema, mlpSchema, linearSchema } from './config';
export { erf, normalCdf, normalPdf } from './special';
export { BUILTIN_ACTIVATIONS } from './activations/builtin';
export { BUILTIN_ARCHITECTURES } from './architectures/builtin';
export { reluActivation } from './activations/relu';
export { leakyReluActivation } from './activations/leaky-relu';
export { geluActivation } from './activations/gelu';
export { tanhActivation, fastTanh } from './activations/tanh';
export { sigmoidActivation, sigmoid64 } from './activations/sigmoid';
export { erfActivation } from './activations/erf';
export { expActivation, fastExp } from './activations/exp';
export { identityActivation } from './activations/identity';
export { powerActivation, powInt } from './activations/power';
export { gaussActivation } from './activations/gauss';
export { softplusActivation } from './activations/softplus';
export { siluActivation } from './activations/silu';
export { sinActivation } from './activations/sin';
export { cosActivation } from './activations/cos';
export { gaussNetArchitecture } from './architectures/gauss-net';
export { expNetArchitecture } from './architectures/exp-net';
export { erfNetArchitecture } from './architectures/erf-net';
export { reluNetArchitecture } from './architectures/relu-net';
export { tanhNetArchitecture } from './architectures/tanh-net';
export { shallowArchitecture } from './architectures/shallow';
export { mlpArchitecture } from './architectures/mlp';
export { linearNetArchitecture } from './architectures/linear-net';
