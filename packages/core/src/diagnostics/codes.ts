/**
 * The closed set of diagnostic codes. Every code is documented in docs/diagnostics.md and
 * produced by a fixture under test/fixtures/errors/.
 */
export const DIAGNOSTIC_CODES = {
  // load
  FILE_NOT_FOUND: 'the configuration file does not exist',
  FILE_UNREADABLE: 'the configuration file cannot be read or is not valid UTF-8 text',
  FILE_TOO_LARGE: 'the configuration file is larger than --max-config-size (checked before parsing)',
  YAML_SYNTAX: 'the file is not well-formed YAML',
  DUPLICATE_KEY: 'a mapping has the same key twice',
  YAML_TOO_COMPLEX: 'aliases expand too much or nesting is too deep',
  // validate (JSON Schema)
  UNKNOWN_KEY: 'a key the schema does not define',
  MISSING_KEY: 'a required key is absent',
  INVALID_TYPE: 'a value has the wrong type',
  INVALID_VALUE: 'a value has the right type but is not allowed',
  // resolve
  UNKNOWN_TEMPLATE: '`extends` names no stage of the shared library',
  EXTENDS_CYCLE: 'library stages extend each other in a cycle',
  UNKNOWN_PIPELINE: '`pipeline` names no pipeline',
  UNKNOWN_STAGE: 'a stage reference names no stage of the service',
  UNKNOWN_SERVICE: 'a cross-service reference names no service',
  UNKNOWN_TARGET: '`target` names no stage of the service',
  STAGE_CYCLE: 'FROM / COPY --from references between stages form a cycle',
  SERVICE_CYCLE: 'cross-service references form a cycle',
  INVALID_STAGE_NAME: 'a stage name Docker would reject or misread',
  INVALID_SERVICE_NAME: 'a service name that cannot be an image or target name',
  MISSING_FROM: 'a stage has no base after inheritance',
  NO_STAGES: 'a service ends up with no stages',
  UNKNOWN_EXPRESSION: 'a ${{ }} expression stagec does not know',
  NEWLINE_IN_VALUE: 'a newline in a one-line field',
  SYNTAX_TOO_OLD: 'a feature needs a newer Dockerfile syntax than configured',
  RELATIVE_WORKDIR: 'a relative WORKDIR with no absolute one before it in the stage chain (warning)',
  PATH_OUTSIDE_WORKSPACE: 'a path leaves the workspace root',
  DUPLICATE_DOCKERFILE: 'two services write the same Dockerfile',
  UNDEFINED_VARIABLE: 'a variable no ARG or ENV of the stage chain defines (warning)',
  UNKNOWN_STEP: 'an `edit` entry names a step id the inherited steps lack',
  DUPLICATE_STEP_ID: 'two resolved steps of a stage carry the same id',
  EDIT_WITH_STEPS: '`steps` and `edit` in one stage mapping',
  NO_WORKSPACE: 'a `manifests` step in a workspace with no npm, pnpm or yarn workspaces',
  CONTEXT_OUTSIDE: 'a folder or file of a service\'s context set lies outside its build context',
  TARGET_NOT_LAST: 'a stage builds on the default target, so it cannot be last (warning)',
  SECRET_WITHOUT_SOURCE: 'a RUN mounts a secret that build.secrets gives no source (warning)',
  // emit (output fidelity, DESIGN 13): values Docker would read differently from what is written
  CONTROL_CHARACTER: 'a control character (CR, NUL, U+2028, ...) that must not reach a Dockerfile',
  TRAILING_BACKSLASH: 'a line ending in a backslash would join the next instruction',
  HEREDOC_IN_COMMAND: '<<WORD in a one-line command would start a heredoc',
  AMBIGUOUS_COMMAND: 'a shell-form command Docker would read as a comment or as exec form',
  FLAG_LIKE_VALUE: 'a value starting with -- would read as a flag',
  EMPTY_VALUE: 'an empty value Docker rejects (VOLUME path, healthcheck test, command)',
  INVALID_IMAGE_REFERENCE: 'not a valid image reference or name',
  INVALID_PORT: 'not a port, range or protocol EXPOSE accepts',
  INVALID_USER: 'not a user[:group]',
  INVALID_SIGNAL: 'not a signal STOPSIGNAL accepts',
  INVALID_FLAG_VALUE: 'a flag or mount option value with spaces, quotes, commas or backslashes',
  INVALID_KEY: 'an ENV/ARG name or label key Docker would misread',
  // lock (stages.lock, and stagec lock against registries)
  LOCK_MISSING: 'an external image has no entry in stages.lock',
  LOCK_INVALID: 'stages.lock is not in the documented format',
  LOCK_OUTDATED: 'a digest in stages.lock moved, or an entry is no longer used (lock --check)',
  REGISTRY_UNREACHABLE: 'the registry of an image cannot be reached in time',
  REGISTRY_AUTH: 'the registry refused the credentials, or needs some',
  IMAGE_NOT_FOUND: 'the registry has no such repository or tag',
  REGISTRY_ERROR: 'the registry answered something stagec cannot use',
  // write (CLI)
  HAND_WRITTEN_FILE: 'a file without the generated header would be overwritten',
  WRITE_FAILED: 'a file could not be written',
  WORKSPACE_INVALID: 'a workspace manifest (package.json, pnpm-workspace.yaml) cannot be read: contexts are pruned without it (warning)',
  MISSING_FOLDER: "a service's folder does not exist (warning)",
  ORPHANED_DOCKERFILE: 'a Dockerfile generated from this config that no service writes any more',
  // import (CLI): positions point into the Dockerfile being imported
  IMPORT_UNSUPPORTED: 'a Dockerfile construct stages.yaml has no form for; the file is not imported',
  IMPORT_NOT_EQUIVALENT: 'an imported Dockerfile would not compile back to the same instructions; the file is not imported',
  OUTPUT_EXISTS: 'the output file exists and --force was not given',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
