/**
 * The emitter's token layer (DESIGN 13): one function per Docker token class, so that no
 * instruction is written by concatenating unchecked text. Every later feature emits through it.
 *
 * API: each function takes the value (and a `refuse` callback) and returns the text to write.
 * A value Docker would read differently from what stages.yaml says is reported through
 * `refuse({code, message, hint, value, key?})`; the emitter attaches the value's origin, and
 * compile turns it into a diagnostic at that value (any refusal discards the Dockerfile).
 * For a check without emitting (validate-time): `const [refuse, found] = collect()`.
 *
 *   imageReference(ref)      FROM, COPY --from, bind from, # syntax=  (${VAR} allowed)
 *   imageName(name)          a service's registry / image (no tag)
 *   port(p)                  EXPOSE: 80, 8000-8010, 53/udp, ${PORT}
 *   user(u)                  USER, --chown: name[:group]
 *   signal(s)                STOPSIGNAL
 *   flag(name, v)            --name=v, one word
 *   mountOption(key, v)      key=v inside --mount (no , " = space)
 *   pathArguments(paths)     COPY / ADD sources and dest (JSON form when needed, words escaped)
 *   workdirPath(p)           WORKDIR (quoted when needed)
 *   jsonPaths(paths)         VOLUME
 *   variableName / labelKey / envPair / labelPair   ENV, ARG, LABEL
 *   shellLine(cmd)           one shell-form line (RUN, CMD, ENTRYPOINT, HEALTHCHECK)
 *   command(cmd)             CMD / ENTRYPOINT / HEALTHCHECK: list = exec form, string = shell
 *   execForm(items)          a JSON array of arguments (SHELL, exec form)
 *   heredoc(body)            a heredoc body and a delimiter that no body line equals
 *   commentLines(text)       a description as `# ` lines;  commentText(s): text not from YAML
 */
export { commentLines, commentText } from './comment';
export { flag, mountOption } from './flag';
export { imageName, imageReference } from './image';
export { envPair, keyValueText, labelKey, labelPair, variableName } from './key';
export { jsonArray, jsonPaths, pathArguments, workdirPath } from './path';
export { port } from './port';
export { escapeWord, quoteValue } from './quote';
export { collect, controlCharacter, type Refusal, type Refuse } from './refusal';
export { command, execForm, heredoc, shellLine } from './shell';
export { signal } from './signal';
export { user } from './user';
