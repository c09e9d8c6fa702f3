import type { YamlPath } from '../load';

/**
 * Calls `visit` for each string in `value` with its path. One path array is pushed and popped
 * through the walk instead of a new array per node: these walks run over every stage of every
 * service, and the per-node copies were most of compile's garbage. `visit` gets the live path:
 * it must copy it (`[...path]`) to keep it beyond the call.
 */
export function forEachString(value: unknown, path: YamlPath, visit: (text: string, path: YamlPath) => void): void {
  if (typeof value === 'string') return visit(value, path);
  if (value === null || typeof value !== 'object') return;
  const stack = [...path];
  const walk = (node: unknown): void => {
    if (typeof node === 'string') visit(node, stack);
    else if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        stack.push(i);
        walk(node[i]);
        stack.pop();
      }
    } else if (node !== null && typeof node === 'object') {
      for (const key in node) {
        if (!Object.hasOwn(node, key)) continue;
        stack.push(key);
        walk((node as Record<string, unknown>)[key]);
        stack.pop();
      }
    }
  };
  walk(value);
}
