import { plugins as defaultHost, type PluginHost } from '@nnsym/core';
import { createFromPlugin } from '@nnsym/core';
import type { Dataset, DatasetLoadOptions, DatasetSource } from '@nnsym/core';

/**
 * Load a registered dataset by id with a config, e.g. `loadDataset('fashion-mnist')` or
 * `loadDataset('idx', { dir: '/data/kmnist' })`. Unknown ids throw the registry's one-line error.
 */
export async function loadDataset(id: string, config: unknown = {}, options: DatasetLoadOptions & { host?: PluginHost } = {}): Promise<Dataset> {
  const plugin = (options.host ?? defaultHost).kind('dataset').get(id);
  const source = createFromPlugin(plugin, config) as DatasetSource;
  return source.load(options);
}
