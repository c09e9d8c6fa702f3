export { load, type Loaded } from './load';
export { SourceIndex, type YamlPath } from './source';
export { decodeConfig, DEFAULT_MAX_CONFIG_SIZE, firstInvalidByte, tooLarge } from './decode';
