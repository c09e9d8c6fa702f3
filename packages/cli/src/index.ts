export { run, createProgram, VERSION } from './main';
export { ownProcess } from './process-owner';
export type { Io, Output } from './io';
