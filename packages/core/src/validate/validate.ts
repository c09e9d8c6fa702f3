import type { ErrorObject } from 'ajv';
import type { Diagnostic, DiagnosticCode } from '../diagnostics';
import type { SourceIndex } from '../load';
import type { StagecStagesYaml } from '../generated/types';
import validateSchema from '../generated/validate';
import { didYouMean } from '../util/suggest';
import { formatPath, pointerToPath } from '../util/path';
import { stripExtensions } from './extensions';

export interface Validated {
  /** The document, typed, when it conforms to the schema. */
  config?: StagecStagesYaml;
  diagnostics: Diagnostic[];
}

/** Phase 2: the document against schemas/stages.schema.json (precompiled), every error mapped to its YAML node. */
export function validate(data: unknown, source: SourceIndex): Validated {
  if (validateSchema(data)) return { config: stripExtensions(data as StagecStagesYaml), diagnostics: [] };
  const errors = relevantErrors((validateSchema as unknown as { errors: ErrorObject[] }).errors ?? []);
  return { diagnostics: errors.map((group) => toDiagnostic(group, data, source)) };
}

type Group = ErrorObject[];

/**
 * ajv reports every failed branch of every anyOf; a person wants one message per place.
 * Keep the most specific errors: drop type mismatches at a path that has deeper errors or
 * non-type errors (the value matched a branch's type and failed inside it), and merge the
 * remaining type mismatches of one path into one "must be A or B".
 */
function relevantErrors(all: readonly ErrorObject[]): Group[] {
  const errors = all.filter((e) => !['anyOf', 'oneOf', 'if', 'propertyNames'].includes(e.keyword) && !validInAnotherBranch(e, all));
  const isTypeLike = (e: ErrorObject) => e.keyword === 'type' || e.keyword === 'const';
  const kept = errors.filter((e) => {
    if (!isTypeLike(e)) return true;
    return !errors.some(
      (other) =>
        other !== e &&
        (other.instancePath.startsWith(`${e.instancePath}/`) || (other.instancePath === e.instancePath && !isTypeLike(other))),
    );
  });
  const groups = new Map<string, Group>();
  for (const e of kept) {
    const key = isTypeLike(e) ? `${e.instancePath}|type` : `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    const group = groups.get(key);
    if (group) group.push(e);
    else groups.set(key, [e]);
  }
  return [...groups.values()];
}

/**
 * An unknown key reported by one branch of an anyOf that another branch, failing at the same
 * place for another reason, defines (`stage` in `from: {servce: x, stage: y}`, a cache mount's
 * `uid`): the key is fine, and a did-you-mean for it would point away from the real mistake.
 */
function validInAnotherBranch(e: ErrorObject, all: readonly ErrorObject[]): boolean {
  if (e.keyword !== 'additionalProperties') return false;
  const name = String(e.params.additionalProperty);
  return all.some((other) => {
    if (other === e || other.instancePath !== e.instancePath || other.parentSchema === e.parentSchema) return false;
    const properties = (other.parentSchema as { properties?: object } | undefined)?.properties;
    return properties !== undefined && Object.prototype.hasOwnProperty.call(properties, name);
  });
}

function toDiagnostic(group: Group, data: unknown, source: SourceIndex): Diagnostic {
  const e = group[0]!;
  const path = pointerToPath(e.instancePath, data);
  const where = formatPath(path);
  const make = (code: DiagnosticCode, message: string, at: (string | number)[], key: boolean, hint?: string): Diagnostic => ({
    code,
    severity: 'error',
    message,
    file: source.file,
    ...source.position(at, { key }),
    ...(hint ? { hint } : {}),
  });
  const propertyName = (e as ErrorObject & { propertyName?: string }).propertyName;
  if (propertyName !== undefined) {
    return make('INVALID_VALUE', `key "${propertyName}" in ${where} is not a valid name (${e.message})`, [...path, propertyName], true);
  }
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String(e.params.additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const hint = didYouMean(name, allowed) ?? (allowed.length ? `allowed: ${allowed.join(', ')}` : undefined);
      return make('UNKNOWN_KEY', `unknown key "${name}" in ${where}`, [...path, name], true, hint);
    }
    case 'required':
      return make('MISSING_KEY', `${where} needs "${String(e.params.missingProperty)}"`, path, path.length > 0);
    case 'type':
    case 'const': {
      const expected = [
        ...new Set(group.flatMap((g) => (g.keyword === 'const' ? [JSON.stringify(g.params.allowedValue)] : String(g.params.type).split(',')))),
      ];
      const value = valueAt(data, path);
      // A YAML number or boolean where text is wanted (a var, a version): quoting is the fix.
      // An unquoted mode (0755) is a YAML number: its octal meaning is lost before stagec sees it.
      const quote =
        expected.includes('string') && (typeof value === 'number' || typeof value === 'boolean')
          ? path.at(-1) === 'mode'
            ? 'quote the mode ("0755"): unquoted, YAML reads it as a decimal number'
            : `quote it: "${source.scalarText(path) ?? String(value)}"`
          : undefined;
      return make('INVALID_TYPE', `${where} must be ${orList(expected)}, not ${describe(value)}`, path, false, quote);
    }
    case 'maxProperties':
    case 'minProperties':
      if (['steps', 'prepend', 'append', 'with'].includes(String(path.at(-2))) || path.at(-1) === 'with') {
        return make('INVALID_VALUE', `${where}: a step has exactly one instruction key (run, copy, add, env, arg, workdir, user, shell or volume), and may have an id`, path, false);
      }
      return make('INVALID_VALUE', `${where} ${e.message ?? 'is not allowed'}`, path, false);
    case 'pattern':
      if (path.at(-1) === 'mode') return make('INVALID_VALUE', `${where} must be an octal file mode such as "0755"`, path, false);
      return make('INVALID_VALUE', `${where} ${e.message ?? 'is not allowed'}`, path, false);
    case 'dependentRequired':
      return make('MISSING_KEY', `${where} needs "${String(e.params.missingProperty)}" with "${String(e.params.property)}"`, path, false);
    case 'enum':
    {
      const allowed = (e.params.allowedValues as unknown[]).map(String);
      const value = valueAt(data, path);
      // A misspelt code in lint.ignore (or any enum value) gets the nearest allowed one.
      const hint = typeof value === 'string' ? didYouMean(value, allowed) : undefined;
      return make('INVALID_VALUE', `${where} must be one of ${orList(allowed)}`, path, false, hint);
    }
    default:
      return make('INVALID_VALUE', `${where} ${e.message ?? 'is not allowed'}`, path, false);
  }
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let node = data;
  for (const segment of path) node = (node as Record<string | number, unknown> | undefined)?.[segment];
  return node;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

const orList = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
