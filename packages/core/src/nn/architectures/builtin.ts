import type { ArchitecturePlugin } from '../types';
import { gaussNetArchitecture } from './gauss-net';
import { expNetArchitecture } from './exp-net';
import { erfNetArchitecture } from './erf-net';
import { reluNetArchitecture } from './relu-net';
import { tanhNetArchitecture } from './tanh-net';
import { shallowArchitecture } from './shallow';
import { mlpArchitecture } from './mlp';
import { linearNetArchitecture } from './linear-net';

/** The built-in architecture plugins, in listing order. */
export const BUILTIN_ARCHITECTURES: readonly ArchitecturePlugin[] = [
  gaussNetArchitecture,
  expNetArchitecture,
  erfNetArchitecture,
  reluNetArchitecture,
  tanhNetArchitecture,
  shallowArchitecture,
  mlpArchitecture,
  linearNetArchitecture,
];
