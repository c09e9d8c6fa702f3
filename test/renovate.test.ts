import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectImages, compile } from '@stagec/core';

// The Renovate configuration the README recommends: its regex must find exactly the references
// stagec lock pins (a literal tag), and never stage names, cross-service references or ${VARS}.
const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const json = /```json\n(\{\n {2}"extends": \["config:recommended"\][\s\S]*?)\n```/.exec(readme)?.[1];
const config = JSON.parse(json ?? '{}') as { customManagers: { managerFilePatterns: string[]; matchStrings: string[] }[] };

function matches(text: string): string[] {
  const found: string[] = [];
  for (const source of config.customManagers[0]!.matchStrings) {
    for (const m of text.matchAll(new RegExp(source, 'g'))) found.push(`${m.groups!.depName}:${m.groups!.currentValue}`);
  }
  return found.sort();
}

describe('the README Renovate configuration', () => {
  it('is in the README', () => {
    expect(json).toBeDefined();
  });

  it('manages stages.yaml files anywhere', () => {
    const pattern = config.customManagers[0]!.managerFilePatterns[0]!;
    const re = new RegExp(pattern.slice(1, -1));
    expect(['stages.yaml', 'infra/stages.yml'].every((f) => re.test(f))).toBe(true);
    expect(re.test('stages.lock')).toBe(false);
  });

  it('finds exactly the tagged references stagec lock pins', () => {
    const fixture = readFileSync(join(root, 'test/fixtures/compile/lock/stages.yaml'), 'utf8');
    const result = compile(fixture);
    const lockable = [...new Set(collectImages(result.project!, result.source).lockable.map((u) => u.reference))].sort();
    expect(matches(fixture)).toEqual(lockable);
  });

  it("finds nothing in this repo's stages.yaml, whose images come through a variable", () => {
    expect(matches(readFileSync(join(root, 'stages.yaml'), 'utf8'))).toEqual([]);
  });
});
