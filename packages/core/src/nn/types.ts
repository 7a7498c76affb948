import type { Tensor, Tensor2D, Tensor3D } from '../tf';
import type { Plugin } from '../registry/plugin';
import type { Rng } from '../rng/rng';

/**
 * Symmetry traits of an activation, read by the symmetry and ntk packages (e.g. a positively homogeneous φ of
 * degree 1 gives the ReLU rescaling symmetry W_in -> a W_in, W_out -> W_out / a; an odd φ gives the sign flip).
 */
export interface ActivationTraits {
  /** φ(a z) = a^degree φ(z) for every a > 0 (relu, leaky-relu, identity, power). */
  positivelyHomogeneous?: boolean;
  /** Degree of homogeneity (1 for relu, d for power-d). */
  degree?: number;
  /** φ(−z) = −φ(z). */
  odd?: boolean;
  /** φ(−z) = φ(z). */
  even?: boolean;
}

/**
 * Per-input context for input-dependent activations. The Gauss-net normalised exponential of NN-QFT
 * (Halverson-Maiti-Stoner arXiv 2008.08601, eq. 2.14) is φ(z; x) = exp(z) / exp(q(x)) with
 * q(x) = σ_b² + σ_w² |x|² / d_in the variance of the first-layer pre-activation z = W0 x + b0. Architectures pass
 * `preVar` = q(x_p) for each input, as a tensor that broadcasts against `z` (their pre-activations keep the input
 * axis last, so `preVar` has shape [P]).
 */
export interface ActivationContext {
  /** q(x_p), shape [P], broadcast on the last axis of z. */
  readonly preVar: Tensor;
}

/**
 * An elementwise activation φ. `apply` is the float32 tensor form used in ensembles and training (built from the
 * fast wasm kernels, e.g. tanh(z) = 2 sigmoid(2z) − 1); `scalar` is the float64 reference used by quadratures,
 * exact-in-N engines and tests.
 *
 * @example
 * const relu = createActivation('relu');
 * relu.scalar(-0.5); // 0
 * tf.tidy(() => relu.apply(tf.tensor1d([-1, 2]))); // [0, 2]
 */
export interface Activation {
  readonly id: string;
  /** φ(z) elementwise, float32. Input-dependent activations (see {@link Activation.needsContext}) read `ctx`. */
  apply(z: Tensor, ctx?: ActivationContext): Tensor;
  /**
   * φ(z) in float64. For input-dependent activations the second argument is q(x), the pre-activation variance of
   * the input (gauss: exp(z − q)); it defaults to 0, which gives the unnormalised exp.
   */
  scalar(z: number, preVar?: number): number;
  /** φ'(z) in float64 (for the input-dependent gauss: ∂/∂z of exp(z − q), i.e. the same value). */
  derivative?(z: number, preVar?: number): number;
  /** Kinks of φ (relu: [0]); quadratures split their panels there. */
  readonly breakpoints?: readonly number[];
  readonly traits: ActivationTraits;
  /** True when φ depends on the input through {@link ActivationContext} (the Gauss-net normalisation). */
  readonly needsContext?: boolean;
  /** The validated config the activation was created with (e.g. `{ alpha: 0.01 }`), for provenance. */
  readonly config?: Record<string, unknown>;
}

/** Activation plugin: `Plugin<'activation', Config, Activation>`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ActivationPlugin<C = any> = Plugin<'activation', C, Activation>;

/** Parameterisation: NN-QFT `standard` (variance in the init) or `ntk` (N(0,1) params, scale in the forward pass). */
export type Parameterization = 'standard' | 'ntk';

/**
 * The hyper-parameters every dense architecture shares (docs/conventions.md). Widths are the hidden width N of
 * every hidden layer; `depth` is the number of hidden layers L (0 for a linear model f = W x + b).
 */
export interface NetSpec {
  dIn: number;
  dOut: number;
  width: number;
  depth: number;
  sigmaW: number;
  sigmaB: number;
  parameterization: Parameterization;
  bias: boolean;
  /** Activation id (e.g. `relu`, `gauss`); its config is in `activationConfig`. */
  activation: string;
  activationConfig?: Record<string, unknown>;
}

/**
 * One parameter tensor of a network, per network (the ensemble adds a leading axis M). Weights are [out, in]:
 * rows are the layer's output units, so "rows 0..k−1 of the output layer" are output units 0..k−1.
 */
export interface ParamLayout {
  /** `W0`, `b0`, `W1`, `b1`, ... (layer index l, input layer first). */
  readonly name: string;
  /** Shape per network: weights [fanOut, fanIn], biases [fanOut]. */
  readonly shape: readonly number[];
  readonly fanIn: number;
  readonly role: 'weight' | 'bias';
  readonly layer: number;
  /** Whether this is the output (readout) layer. */
  readonly output: boolean;
  /** σ_w for weights, σ_b for biases. */
  readonly sigma: number;
  /**
   * Std of the stored parameter under the default init: standard σ_w/√fanIn (weights) or σ_b (biases); ntk 1.
   * Distributions given without an explicit scale take this std (docs/conventions.md, "InitSpec").
   */
  readonly std: number;
  /** Factor applied in the forward pass: standard 1; ntk σ_w/√fanIn (weights) or σ_b (biases). */
  readonly forwardScale: number;
}

/** Parameters of an ensemble: each tensor [M, ...layout.shape], keyed by `ParamLayout.name`. */
export type ParamSet = Record<string, Tensor>;

/** Host copies of sampled parameters: row-major Float32Array [M, ...shape] per name. */
export type HostParamSet = Record<string, Float32Array>;

/**
 * Draws the parameters of `m` networks for one layout entry: a row-major Float32Array [m, ...layout.shape].
 * Must draw only from `rng` (the ensemble runner passes `Rng.derive(seed, 'ensemble', chunk, layout.name)`), so
 * any chunk can be regenerated alone. The default is {@link gaussianSampler} (NN-QFT init); @nnsym/distributions
 * compiles `--init` specs to samplers.
 */
export type ParamSampler = (layout: ParamLayout, rng: Rng, m: number) => Float32Array;

/** What an architecture can do, so consumers choose a method instead of failing. */
export interface ArchitectureCapabilities {
  /** Number of hidden layers. */
  depth: number;
  /** Exactly one hidden layer with `singleHidden` filled in (exact-in-N correlators apply). */
  singleHidden: boolean;
  /** φ depends on the input (Gauss-net normalisation). */
  inputDependentActivation: boolean;
  /** Activation traits, repeated here for convenience. */
  traits: ActivationTraits;
}

/**
 * What the exact-in-N correlator engine needs of a one-hidden-layer net f(x) = W1 φ(W0 x + b0) + b1
 * (NN-QFT conventions, docs/conventions.md).
 */
export interface SingleHiddenInfo {
  activation: Activation;
  /** φ(z) for input x in float64, including the Gauss-net normalisation: `activation.scalar(z, preVariance(x))`. */
  phi(z: number, x: ArrayLike<number>): number;
  /** q(x) = σ_b² + σ_w² |x|² / d_in (σ_b² only when bias is on): variance of z = W0 x + b0 under the default init. */
  preVariance(x: ArrayLike<number>): number;
  sigmaW: number;
  sigmaB: number;
  dIn: number;
  dOut: number;
  width: number;
  bias: boolean;
  parameterization: Parameterization;
}

/**
 * A dense architecture acting on a whole ensemble at once (neural-tangents' `(init_fn, apply_fn, kernel_fn)` as a
 * plain record). Parameters carry a leading ensemble axis M.
 *
 * Shapes: `apply(params, x)` takes x [P, d_in] and returns f [M, P, d_out] (float32).
 *
 * @example
 * const arch = createArchitecture('gauss-net', { width: 100, dIn: 3 });
 * const params = arch.init(new Rng(0), 16);   // ParamSet, 16 networks
 * const f = arch.apply(params, x);            // Tensor3D [16, P, 1]
 * disposeParams(params); f.dispose();
 */
export interface Architecture {
  readonly id: string;
  readonly spec: NetSpec;
  readonly activation: Activation;
  /** Parameter layout, input layer first. */
  layout(): ParamLayout[];
  /** Sample `m` networks on the host (default NN-QFT Gaussian init) and upload them. Caller disposes. */
  init(rng: Rng, m: number, sampler?: ParamSampler): ParamSet;
  /** f [M, P, d_out] for x [P, d_in]. Does not dispose its arguments; wraps its work in `tf.tidy`. */
  apply(params: ParamSet, x: Tensor2D): Tensor3D;
  readonly capabilities: ArchitectureCapabilities;
  readonly singleHidden?: SingleHiddenInfo;
}

/**
 * Config of every built-in architecture (validated by zod, see `nn/config.ts`). Single-hidden-layer families fix
 * `depth` = 1; `gauss-net` etc. fix the activation.
 */
export interface ArchitectureConfig {
  width: number;
  dIn: number;
  dOut: number;
  depth: number;
  sigmaW: number;
  sigmaB: number;
  parameterization: Parameterization;
  bias: boolean;
  activation: string;
  activationConfig?: Record<string, unknown>;
}

/**
 * How an architecture transports parameter-space invariances to function space (the "duality" step of
 * Maiti-Halverson-Stoner arXiv 2106.00694): read by @nnsym/symmetry's parameter-side prediction.
 */
export interface ArchitectureSymmetry {
  /** x enters only through W0 x (and, for the Gauss-net, through |x|): f(ρx; W0) = f(x; W0 ρ) for orthogonal ρ. */
  firstLayerLinear: boolean;
  /** f = W_L h + b_L: ρ f is the same network with (ρ W_L, ρ b_L). */
  lastLayerLinear: boolean;
  /** Correlator orders that are translation invariant at every width, with zero-mean normal W0 and last layer. */
  translationInvariantOrders?: number[];
}

/**
 * What an architecture plugin declares it can do, so that every package finds it on the plugin instead of in a
 * table keyed by its id (neural-tangents' `(init_fn, apply_fn, kernel_fn)` triple: the item carries its
 * capabilities). Checked by `runArchitectureConformance`.
 *
 * When to use: write it on your plugin object; read it with {@link ArchitecturePlugin}'s `capabilities` (or core's
 * `architecturesWith`).
 *
 * @example
 * capabilities: { dense: { activation: 'relu', depth: 1 }, engines: { exact: true, reference: true }, symmetry: { firstLayerLinear: true, lastLayerLinear: true } }
 */
export interface ArchitecturePluginCapabilities {
  /**
   * The family is a dense NN-QFT network (docs/conventions.md) whose `activation` (absent: taken from the config)
   * and `depth` (absent: from the config, default `defaultDepth`) it fixes. @nnsym/ntk computes its analytic
   * NNGP/NTK from this (closed form or quadrature per activation dual); without it, ntk has no analytic kernel
   * and points to the empirical NTK or Monte Carlo.
   */
  dense?: { activation?: string; depth?: number; defaultDepth?: number };
  /**
   * Engines that apply besides the tfjs ensemble runner (every architecture has that one):
   * `exact`: the exact-in-1/N correlator engine (one hidden layer, `Architecture.singleHidden`);
   * `reference`: @nnsym/symmetry's float64 host reference evaluator of single-hidden-layer families;
   * `trained`: @nnsym/symmetry's trained ensembles (float64 gradient descent of a single-hidden-layer net).
   */
  engines?: { exact?: boolean; reference?: boolean; trained?: boolean };
  /** How parameter-space invariances act on its outputs (see {@link ArchitectureSymmetry}). */
  symmetry?: ArchitectureSymmetry;
}

/** Architecture plugin: `Plugin<'architecture', Config, Architecture>` plus its declared capabilities. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ArchitecturePlugin<C = any> = Plugin<'architecture', C, Architecture> & { readonly capabilities?: ArchitecturePluginCapabilities };

declare module '../registry/kinds' {
  interface PluginKinds {
    activation: ActivationPlugin;
    architecture: ArchitecturePlugin;
  }
}

declare module '../registry/kinds' {
  interface ActivationMap {
    relu: ActivationPlugin<Record<string, never>>;
    'leaky-relu': ActivationPlugin<{ alpha: number }>;
    gelu: ActivationPlugin<Record<string, never>>;
    tanh: ActivationPlugin<Record<string, never>>;
    sigmoid: ActivationPlugin<Record<string, never>>;
    erf: ActivationPlugin<Record<string, never>>;
    exp: ActivationPlugin<Record<string, never>>;
    identity: ActivationPlugin<Record<string, never>>;
    power: ActivationPlugin<{ degree: number }>;
    gauss: ActivationPlugin<Record<string, never>>;
  }
}
