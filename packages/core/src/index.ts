export { compile, type CompileOptions, type CompileResult } from './compile';
export * from './diagnostics';
export { load, SourceIndex, type Loaded, type YamlPath } from './load';
export { validate, type Validated } from './validate';
export * from './resolve';
export * from './emit';
export { stagesSchema } from './generated/schema';
export type { StagecStagesYaml } from './generated/types';
export * from './plan';
