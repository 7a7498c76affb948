import type { ActivationPlugin } from '../types';
import { reluActivation } from './relu';
import { leakyReluActivation } from './leaky-relu';
import { geluActivation } from './gelu';
import { tanhActivation } from './tanh';
import { sigmoidActivation } from './sigmoid';
import { erfActivation } from './erf';
import { expActivation } from './exp';
import { identityActivation } from './identity';
import { powerActivation } from './power';
import { gaussActivation } from './gauss';
import { softplusActivation } from './softplus';
import { siluActivation } from './silu';
import { sinActivation } from './sin';
import { cosActivation } from './cos';

/** The built-in activation plugins, in listing order. */
export const BUILTIN_ACTIVATIONS: readonly ActivationPlugin[] = [
  reluActivation,
  leakyReluActivation,
  geluActivation,
  tanhActivation,
  sigmoidActivation,
  erfActivation,
  expActivation,
  identityActivation,
  powerActivation,
  gaussActivation,
  softplusActivation,
  siluActivation,
  sinActivation,
  cosActivation,
];
