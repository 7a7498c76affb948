// @nnsym/viz/testing: helpers for tests of plots, reports and renderers.
export { parseSvg, countMarks, walk } from './testing/svg';
export type { XmlElement } from './testing/svg';
