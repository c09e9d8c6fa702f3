import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint, parseStages, stripTrailingComments } from './helpers/dockerfile';
import { compileFixture, fixtureDirs, FIXTURES, golden } from './helpers/fixtures';

// Every Dockerfile of the tutorials in ../shared/seeds, written as stages.yaml, must compile to
// an equivalent Dockerfile: same stages, same bases, same instructions (by dockerfile-ast).
describe.each(fixtureDirs('seeds'))('seed %s', (name) => {
  const dir = join(FIXTURES, 'seeds', name);
  const result = compileFixture(dir);

  it('compiles without diagnostics', () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.dockerfiles).toHaveLength(1);
  });

  const emitted = result.dockerfiles[0]?.text ?? '';

  it('matches its golden Dockerfile', () => {
    expect(emitted).toBe(golden(join(dir, 'expected.Dockerfile'), emitted));
  });

  it('is equivalent to the seed Dockerfile', () => {
    const seed = parseStages(stripTrailingComments(readFileSync(join(dir, 'seed.Dockerfile'), 'utf8')));
    const ours = parseStages(emitted);
    expect(ours.globals).toEqual(seed.globals);
    expect(ours.stages.map((s) => s.base)).toEqual(seed.stages.map((s) => s.base));
    // The seeds leave the final stage unnamed; stagec names every stage, so compare names where the seed has one.
    seed.stages.forEach((stage, i) => {
      if (stage.name) expect(ours.stages[i]!.name).toBe(stage.name.toLowerCase());
      expect(ours.stages[i]!.instructions).toEqual(stage.instructions);
    });
  });

  it('lints clean with dockerfile-utils', () => {
    expect(lint(emitted)).toEqual([]);
  });
});
