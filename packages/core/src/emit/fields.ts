import type { StagecStagesYaml } from '../generated/types';
import type { YamlPath } from '../load';
import { imageName, imageReference, type Refusal } from './tokens';

export interface FieldRefusal extends Refusal {
  path: YamlPath;
}

/**
 * Validate-time checks of values that reach Dockerfiles and commands outside any stage:
 * `syntax` (the `# syntax=` line), `registry` and `image` (FROM of a cross-service reference,
 * and every tag). Checked where they are written, so each refusal points at its own value.
 */
export function checkConfigFields(config: StagecStagesYaml): FieldRefusal[] {
  const found: FieldRefusal[] = [];
  const check = (value: unknown, path: YamlPath, fn: (v: string, refuse: (r: Refusal) => void) => unknown): void => {
    // A ${{ }} expression is checked after substitution, where it is emitted.
    if (typeof value === 'string' && !value.includes('${{')) fn(value, (r) => found.push({ ...r, path }));
  };
  const scopes: [Record<string, unknown> | undefined, YamlPath][] = [
    [config.defaults as Record<string, unknown> | undefined, ['defaults']],
    ...Object.entries(config.services ?? {}).map(([name, s]): [Record<string, unknown> | undefined, YamlPath] => [s as unknown as Record<string, unknown> | undefined, ['services', name]]),
  ];
  for (const [scope, at] of scopes) {
    if (!scope) continue;
    check(scope.syntax, [...at, 'syntax'], (v, r) => imageReference(v, r, 'syntax'));
    check(scope.registry, [...at, 'registry'], (v, r) => imageName(v, r, 'registry'));
    check(scope.image, [...at, 'image'], (v, r) => imageName(v, r, 'image'));
  }
  return found;
}
