// @nnsym/symmetry/testing: conformance suites for this package's extension points.
export {};
