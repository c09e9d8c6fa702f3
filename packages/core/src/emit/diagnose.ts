import type { Diagnostic } from '../diagnostics';
import type { SourceIndex, YamlPath } from '../load';
import type { Refusal } from './tokens';

/** A refusal with the YAML path of the value, or of the instruction that holds it. */
export interface PlacedRefusal extends Refusal {
  path: YamlPath;
}

/**
 * Refusals to diagnostics at the refused value: the emitter knows the instruction's origin
 * (a step, a stage field), so the value itself is found in that subtree of the loaded data
 * by its text; a value built by an expression falls back to the instruction. One finding
 * reached through several services (a shared template) is reported once.
 */
export function refusalDiagnostics(refusals: readonly PlacedRefusal[], data: unknown, source: SourceIndex, already: readonly Diagnostic[] = []): Diagnostic[] {
  const seen = new Set(already.map((d) => `${d.code}|${d.line}|${d.column}`));
  const out: Diagnostic[] = [];
  for (const r of refusals) {
    const found = locate(data, r.path, r.value, r.key ?? false);
    const position = source.position(found.path, { key: found.key });
    const id = `${r.code}|${position.line}|${position.column}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ code: r.code, severity: 'error', message: r.message, file: source.file, ...position, ...(r.hint ? { hint: r.hint } : {}) });
  }
  return out;
}

function get(data: unknown, path: YamlPath): unknown {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

function locate(data: unknown, path: YamlPath, value: string, key: boolean): { path: YamlPath; key: boolean } {
  if (key && path.at(-1) === value) return { path, key: true };
  const search = (node: unknown, at: YamlPath): { path: YamlPath; key: boolean } | undefined => {
    // A run command reaches the emitter without its trailing newlines.
    if (!key && (typeof node === 'string' || typeof node === 'number') && (String(node) === value || String(node).replace(/\n+$/, '') === value)) {
      return { path: at, key: false };
    }
    if (node === null || typeof node !== 'object') return undefined;
    for (const [k, v] of Object.entries(node)) {
      const child = [...at, Array.isArray(node) ? Number(k) : k];
      if (key && k === value) return { path: child, key: true };
      const hit = search(v, child);
      if (hit) return hit;
    }
    return undefined;
  };
  // A value built by a ${{ }} expression is not in the text as emitted: point at the expression.
  const expression = (node: unknown, at: YamlPath): YamlPath | undefined => {
    if (typeof node === 'string') return node.includes('${{') ? at : undefined;
    if (node === null || typeof node !== 'object') return undefined;
    for (const [k, v] of Object.entries(node)) {
      const hit = expression(v, [...at, Array.isArray(node) ? Number(k) : k]);
      if (hit) return hit;
    }
    return undefined;
  };
  const root = get(data, path);
  const viaExpression = key ? undefined : expression(root, path);
  return search(root, path) ?? (viaExpression ? { path: viaExpression, key: false } : { path, key: false });
}
