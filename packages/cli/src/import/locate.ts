import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { ImportedStage } from './model';

type Path = (string | number)[];

/** The YAML path of the deepest node at a 1-based line and column of `text`. */
export function pathAt(text: string, line: number, column: number): Path {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (starts[line - 1] ?? 0) + Math.max(0, column - 1);
  const path: Path = [];
  const within = (node: unknown): boolean => {
    const range = (node as Node | null)?.range;
    return Boolean(range && offset >= range[0] && offset <= range[2]);
  };
  let node: unknown = parseDocument(text).contents;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((p) => within(p.key) || within(p.value));
      if (!pair || !isScalar(pair.key)) return path;
      path.push(String(pair.key.value));
      if (within(pair.key)) return path;
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex(within);
      if (index < 0) return path;
      path.push(index);
      node = node.items[index];
    } else return path;
  }
}

/**
 * The Dockerfile line a diagnostic about a service's own stages stands for: the step's
 * instruction, the field's, else the stage's FROM; 0 when it is not about a stage.
 */
export function dockerfileLine(path: Path, stages: readonly ImportedStage[]): number {
  if (path[0] !== 'services' || path[2] !== 'stages') return 0;
  const stage = stages.find((s) => s.name === path[3]);
  if (!stage) return 0;
  const field = path[4];
  if (field === 'steps' && typeof path[5] === 'number') return stage.lines.steps[path[5]] ?? stage.lines.from;
  return (typeof field === 'string' && stage.lines.fields[field]) || stage.lines.from;
}
