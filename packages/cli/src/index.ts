export { run, createProgram, VERSION } from './main';
export { ownProcess } from './write';
export type { Io, Output } from './io';
