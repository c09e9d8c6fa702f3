import type { Doc } from './model';

/**
 * Inherited steps edited by id (DESIGN 10: `edit` with before/after/replace/remove, then
 * prepend/append): what a child writes when its steps differ from the inherited ones in the
 * middle, instead of repeating every step. Ids come from the steps themselves, so every child of
 * one base names a step the same way; `withIds` puts them on the base afterwards.
 */

const key = (step: Doc): string => JSON.stringify(step);

/** A readable id for each step: its instruction and first words (`npm-ci`, `copy-go.mod`), unique within the list. */
export function stepIds(steps: readonly Doc[]): string[] {
  const taken = new Set<string>();
  return steps.map((step) => {
    const kind = Object.keys(step).find((k) => k !== 'id') ?? 'step';
    const value = step[kind];
    const text =
      typeof value === 'string'
        ? value
        : Array.isArray(value)
          ? String(value[0] ?? '')
          : value && typeof value === 'object'
            ? String((value as Doc).command ?? (value as Doc).commands ?? (value as Doc).exec ?? (value as Doc).src ?? (value as Doc).dest ?? '')
            : '';
    const words = text
      .replace(/\$\{\{[^}]*\}\}/g, ' ')
      .split(/[^A-Za-z0-9_.-]+/)
      .filter((w) => w && !w.startsWith('-') && !w.startsWith('$'))
      .slice(0, 2);
    const base = (kind === 'run' && words.length ? words.join('-') : [kind, ...words.slice(0, 1)].join('-')).replace(/^[^A-Za-z0-9_]+/, '') || kind;
    let id = base.slice(0, 40);
    for (let n = 2; taken.has(id); n++) id = `${base.slice(0, 40)}-${n}`;
    taken.add(id);
    return id;
  });
}

/** Longest common subsequence of two step lists, as index pairs. */
function common(a: readonly Doc[], b: readonly Doc[]): [number, number][] {
  const ka = a.map(key);
  const kb = b.map(key);
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) table[i]![j] = ka[i] === kb[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (ka[i] === kb[j]) pairs.push([i++, j++]);
    else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

/**
 * `child` written as edits of `base`: steps before the first kept step are `prepend`, after the
 * last `append`, between kept steps `before`/`after`/`replace`/`remove` by id. Undefined when
 * no step is kept (then `steps` says it better).
 */
export function editDiff(child: readonly Doc[], base: readonly Doc[]): Doc | undefined {
  const pairs = common(base, child);
  if (pairs.length === 0) return undefined;
  const ids = stepIds(base);
  const edit: Doc[] = [];
  const out: Doc = {};
  const [firstBase, firstChild] = pairs[0]!;
  // Before the first kept step: base steps that go are replaced by the child's, if it has any, else removed; the rest is prepended.
  const leading = child.slice(0, firstChild);
  for (let i = 0; i < firstBase; i++) {
    if (i === 0 && leading.length) edit.push({ replace: ids[0], with: leading.length === 1 ? leading[0] : leading });
    else edit.push({ remove: ids[i] });
  }
  if (firstBase === 0 && leading.length) out.prepend = leading;
  for (let p = 0; p < pairs.length; p++) {
    const [bi, ci] = pairs[p]!;
    const [nextB, nextC] = pairs[p + 1] ?? [base.length, child.length];
    const removed = Array.from({ length: nextB - bi - 1 }, (_, k) => bi + 1 + k);
    const inserted = child.slice(ci + 1, nextC);
    if (p === pairs.length - 1) {
      for (const r of removed) edit.push({ remove: ids[r] });
      if (inserted.length) out.append = inserted;
    } else if (removed.length && inserted.length) {
      edit.push({ replace: ids[removed[0]!], with: inserted.length === 1 ? inserted[0] : inserted });
      for (const r of removed.slice(1)) edit.push({ remove: ids[r] });
    } else if (removed.length) for (const r of removed) edit.push({ remove: ids[r] });
    else if (inserted.length) edit.push({ after: ids[bi], steps: inserted });
  }
  return edit.length ? { edit, ...out } : out;
}

/** The ids every `edit` in `doc` names. */
export function editedIds(doc: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(doc)) doc.forEach((d) => editedIds(d, found));
  else if (doc && typeof doc === 'object') {
    for (const [k, v] of Object.entries(doc)) {
      if (k === 'edit' && Array.isArray(v)) for (const e of v as Doc[]) for (const op of ['before', 'after', 'replace', 'remove']) if (typeof e[op] === 'string') found.add(e[op] as string);
      editedIds(v, found);
    }
  }
  return found;
}

/** The base's steps with the ids that edits name, first in each step (`{ id: npm-ci, run: ... }`). */
export function withIds(steps: readonly Doc[], named: ReadonlySet<string>): Doc[] {
  const ids = stepIds(steps);
  return steps.map((step, i) => (named.has(ids[i]!) ? { id: ids[i], ...step } : step));
}
