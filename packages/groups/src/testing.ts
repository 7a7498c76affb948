// @nnsym/groups/testing: the conformance suite of the group-action extension point.
export { runGroupActionConformance } from './testing/group-action-conformance';
export type { GroupActionConformanceOptions } from './testing/group-action-conformance';
