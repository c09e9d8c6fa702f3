export { emitDockerfile, GENERATED_MARKER, isGenerated, type EmittedDockerfile, type EmittedLine } from './dockerfile';
export { jsonArray, keyValue, quoteValue } from './quote';
