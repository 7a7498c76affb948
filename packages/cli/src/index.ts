// @nnsym/cli public entry (for embedding and tests); the command itself is bin/nnsym.js.
export { main, buildProgram } from './main';
export type { MainIO } from './main';
export type { CliContext, GlobalOptions } from './context';
