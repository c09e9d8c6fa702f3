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
  // Most services set none of the three: the path of a value is built only when it is there.
  const check = (value: unknown, at: YamlPath, field: string, fn: (v: string, refuse: (r: Refusal) => void) => unknown): void => {
    // A ${{ }} expression is checked after substitution, where it is emitted.
    if (typeof value === 'string' && !value.includes('${{')) fn(value, (r) => found.push({ ...r, path: [...at, field] }));
  };
  const scope = (value: unknown, at: YamlPath): void => {
    if (!value) return;
    const fields = value as Record<string, unknown>;
    check(fields.syntax, at, 'syntax', (v, r) => imageReference(v, r, 'syntax'));
    check(fields.registry, at, 'registry', (v, r) => imageName(v, r, 'registry'));
    check(fields.image, at, 'image', (v, r) => imageName(v, r, 'image'));
  };
  scope(config.defaults, ['defaults']);
  const services = config.services ?? {};
  for (const name in services) if (Object.hasOwn(services, name)) scope(services[name], ['services', name]);
  return found;
}
