import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument, isMap, type YAMLMap } from 'yaml';
import { compile, emitBake } from '@stagec/core';
import { FIXTURES } from './helpers/fixtures';

const CASES = ['inheritance', 'cross-service', 'expressions'];

/** Shuffles the keys of the maps whose order carries no meaning: services, pipelines, the shared library. */
function shuffled(text: string, random: () => number): string {
  const doc = parseDocument(text);
  for (const key of ['services', 'pipelines', 'stages']) {
    const node = doc.get(key, true);
    if (!isMap(node)) continue;
    const items = (node as YAMLMap).items;
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
  }
  return doc.toString();
}

describe('output does not depend on meaningless key order', () => {
  it.each(CASES)('%s: byte-identical Dockerfiles and bake file for any order of services, pipelines and templates', (name) => {
    const text = readFileSync(join(FIXTURES, 'compile', name, 'stages.yaml'), 'utf8');
    const reference = compile(text);
    const outputs = (r: ReturnType<typeof compile>) => [
      ...r.dockerfiles.map((d) => `${d.path}\n${d.text}`),
      JSON.stringify(emitBake(r.project!)),
    ];
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        let state = seed >>> 0;
        const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
        const result = compile(shuffled(text, random));
        expect(outputs(result)).toEqual(outputs(reference));
      }),
      { numRuns: 50, seed: 42 },
    );
  });
});
