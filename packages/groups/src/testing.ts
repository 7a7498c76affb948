// @nnsym/symmetry/testing: conformance suites for this package's extension points.
export { runGroupActionConformance } from './groups/conformance';
export type { GroupActionConformanceOptions } from './groups/conformance';
