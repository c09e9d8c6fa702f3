export { DIAGNOSTIC_CODES, type DiagnosticCode } from './codes';
export {
  type Diagnostic,
  type Position,
  type RelatedLocation,
  type Severity,
  hasErrors,
  hasPosition,
  isUsageError,
  sortDiagnostics,
} from './types';
export { formatDiagnostic, type FormatOptions, type Style } from './format';
