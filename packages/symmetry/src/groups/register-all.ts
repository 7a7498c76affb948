import type { PluginHost } from '@nnsym/core';

/** Register the built-in group actions. */
export function registerGroupPlugins(_host: PluginHost): void {}
