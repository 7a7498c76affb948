import type { PluginHost } from '@nnsym/core';
import { specialOrthogonalPlugin } from './so';
import { orthogonalPlugin } from './o';
import { permutationsPlugin } from './sym';
import { cyclicPlugin } from './cyclic';
import { signFlipsPlugin } from './sign-flips';
import { translationsPlugin } from './translations';
import { scalingsPlugin } from './scalings';
import { stabiliserPlugin } from './stabiliser';
import { directProductPlugin } from './direct-product';

declare module '@nnsym/core' {
  interface GroupActionMap {
    so: typeof specialOrthogonalPlugin;
    o: typeof orthogonalPlugin;
    sym: typeof permutationsPlugin;
    cyclic: typeof cyclicPlugin;
    'sign-flips': typeof signFlipsPlugin;
    translations: typeof translationsPlugin;
    scalings: typeof scalingsPlugin;
    stabiliser: typeof stabiliserPlugin;
    'direct-product': typeof directProductPlugin;
  }
}

/** The built-in group-action plugins, in registration order. */
export const builtinGroupPlugins = [
  specialOrthogonalPlugin,
  orthogonalPlugin,
  permutationsPlugin,
  cyclicPlugin,
  signFlipsPlugin,
  translationsPlugin,
  scalingsPlugin,
  stabiliserPlugin,
  directProductPlugin,
] as const;

/** Register the built-in group actions (skips ids already present, so calling it twice is harmless). */
export function registerGroupPlugins(host: PluginHost): void {
  const reg = host.kind('group-action');
  for (const p of builtinGroupPlugins) if (!reg.has(p.meta.id)) reg.register(p);
}
