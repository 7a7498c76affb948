// @nnsym/ntk/testing: conformance suites for this package's extension points, and test fixtures.
export { runActivationDualConformance } from './testing/dual-conformance';
export { denseTestNet } from './testing/dense-test-net';
