// @nnsym/groups/testing: the conformance suite of the group-action extension point.
export { runGroupActionConformance } from './conformance';
export type { GroupActionConformanceOptions } from './conformance';
