export { load, type Loaded } from './load';
export { SourceIndex, type YamlPath } from './source';
