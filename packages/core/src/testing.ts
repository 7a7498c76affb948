// @nnsym/core/testing: conformance suites that third-party plugins run in their own jest tests.
export { runPluginConformance } from './testing/plugin-conformance';
export { runActivationConformance, runArchitectureConformance } from './testing/nn-conformance';
export { runDatasetConformance } from './testing/dataset-conformance';
export type { DatasetConformanceOptions } from './testing/dataset-conformance';
