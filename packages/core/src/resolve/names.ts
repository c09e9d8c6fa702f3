/**
 * A stage name Docker accepts and reads as a stage (`FROM <name>`, `--target <name>`): lowercase,
 * starting with a letter. Checks enforce it on declared names; references use it to tell a
 * misspelt stage from an image name.
 */
export const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;
