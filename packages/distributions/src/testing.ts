// @nnsym/distributions/testing: conformance suites for this package's extension points.
export { runDistributionConformance } from './testing/distribution-conformance';
