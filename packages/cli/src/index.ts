export { run, createProgram, VERSION } from './main';
export type { Io, Output } from './io';
