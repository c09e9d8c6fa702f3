import type { YamlPath } from '../load';
import { forEachString } from '../util/walk';
import type { ResolveContext } from './context';
import { STAGE_NAME } from './names';

const RESERVED_STAGE_NAMES = new Set(['scratch', 'context']);
const SERVICE_NAME = /^[a-z0-9][a-z0-9_.-]*$/;

export function checkStageName(ctx: ResolveContext, name: string, path: YamlPath): boolean {
  if (RESERVED_STAGE_NAMES.has(name)) {
    ctx.report('INVALID_STAGE_NAME', `"${name}" is reserved by Docker and cannot name a stage`, path, { key: true });
    return false;
  }
  if (!STAGE_NAME.test(name)) {
    const hint = /^[a-z0-9-_.]+$/i.test(name) ? `use "${name.toLowerCase().replace(/^[^a-z]+/, '')}"` : undefined;
    ctx.report('INVALID_STAGE_NAME', `stage name "${name}" must match ${STAGE_NAME.source} (lowercase, starting with a letter)`, path, {
      key: true,
      ...(hint ? { hint } : {}),
    });
    return false;
  }
  return true;
}

export function checkServiceName(ctx: ResolveContext, name: string): boolean {
  if (SERVICE_NAME.test(name)) return true;
  ctx.report(
    'INVALID_SERVICE_NAME',
    `service name "${name}" must match ${SERVICE_NAME.source}: it names images, bake targets and Nx projects`,
    ['services', name],
    { key: true },
  );
  return false;
}

/** Strings that may span lines: RUN commands and COPY content (heredocs), descriptions and the header (comments). */
function mayBeMultiline(path: YamlPath): boolean {
  const last = path.at(-1);
  const parent = path.at(-2);
  if (parent === 'env' || parent === 'args' || parent === 'arg' || parent === 'labels') return false;
  return (
    last === 'description' ||
    last === 'header' ||
    last === 'run' ||
    (parent === 'run' && last === 'command') ||
    (parent === 'copy' && last === 'content')
  );
}

/**
 * Document-wide: a newline in a one-line field would end the instruction and start another,
 * so it is an error wherever it cannot be a heredoc.
 */
export function checkStrings(ctx: ResolveContext, value: unknown, path: YamlPath): void {
  forEachString(value, path, (text, at) => checkString(ctx, text, at));
}

/** checkStrings for one string at `at` (a live path: copied before it is kept). */
export function checkString(ctx: ResolveContext, text: string, at: YamlPath): void {
  if (!text.includes('\n')) return;
  const last = at.at(-1);
  const body = last === 'run' || last === 'command' || last === 'content' ? text.replace(/\n+$/, '') : text;
  // A CR or any other control character is the emitter's to refuse (CONTROL_CHARACTER), once.
  if (body.includes('\n') && !mayBeMultiline(at)) {
    ctx.report('NEWLINE_IN_VALUE', `${describeField(at)} must be one line: a newline would start a new Dockerfile instruction`, [...at]);
  }
}

function describeField(path: YamlPath): string {
  const named = [...path].reverse().find((s) => typeof s === 'string');
  return named === undefined ? 'this value' : `"${named}"`;
}
