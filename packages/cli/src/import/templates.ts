import { bodyOf, type Doc, type Placed } from './model';
import { consensus, mode, override, size } from './share';
import { unique } from './pipelines';

/** Stages left inline that build from the same base share a template where that is smaller. */
export function planTemplates(inline: Placed[], templates: Doc, taken: Set<string>): Map<Placed, Doc> {
  const out = new Map<Placed, Doc>();
  const tryGroup = (all: Placed[]): boolean => {
    // A stage extends a template only where the template says most of it.
    let group = all;
    for (let round = 0; round < 3 && group.length >= 2; round++) {
      const base = consensus(group.map((p) => p.general));
      const fit = group.filter((p) => size(override(p.general, base) ?? p.general) * 2 < size(p.general));
      if (fit.length === group.length) break;
      group = fit;
    }
    if (group.length < 2 || new Set(group.map((p) => p.service)).size < 2) return false;
    const bodies = group.map((p) => p.general);
    const base = consensus(bodies);
    const children = group.map((p, i) => {
      const general = override(bodies[i]!, base);
      const own = override(bodyOf(p.stage), base);
      return own && (!general || size(own) <= size(general)) ? own : general;
    });
    if (children.some((c) => c === undefined) || Object.keys(base).length < 2) return false;
    const shared = size(base) + children.reduce((n, c) => n + size(c) + 12, 0);
    if (shared >= bodies.reduce((n, b) => n + size(b), 0)) return false;
    const name = unique(mode(group.map((p) => p.stage.name)).value, taken);
    templates[name] = base;
    group.forEach((p, i) => out.set(p, { extends: name, ...children[i]! }));
    return true;
  };
  const byKey = (key: (p: Placed) => unknown, list: Placed[]): Placed[][] => {
    const groups = new Map<string, Placed[]>();
    for (const p of list) groups.set(JSON.stringify(key(p)), [...(groups.get(JSON.stringify(key(p))) ?? []), p]);
    return [...groups.values()];
  };
  for (const group of byKey((p) => p.general.from, inline)) {
    if (tryGroup(group)) continue;
    for (const sub of byKey((p) => [p.general.workdir, (p.general.steps as unknown[] | undefined)?.[0]], group)) tryGroup(sub);
  }
  return out;
}

