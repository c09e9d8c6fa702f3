import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { load, resolve, tokens, validate } from '@stagec/core';
import { emitDockerfile, emitDockerfileText, emitRun } from '../../packages/core/src/emit';
import { params } from './generators';

// compile() emits every service through one run (emitRun): the header of each folder, clean
// comment blocks and the per-line records are worked out once, or later. Each service's text,
// lines and refusals must be exactly those of emitting it alone, refused values included.

const TEXTS = ['Copyright 2026 Acme.', 'two\nlines', 'tab\there', 'bell\u0007', 'cr\r', 'nel\u0085', ' ', 'ünïcode ✓', '"quoted" \\ $X'];
const DOCKERFILES = [
  'apps/a/Dockerfile',
  'apps/a/Dockerfile.worker',
  'apps/a/./Dockerfile.web',
  'apps/a/sub/../Dockerfile.up',
  'apps/b/Dockerfile',
  'apps/b/..',
  'apps/b/.',
  'Dockerfile.root',
  'apps\u2028x/Dockerfile',
];

const projectArb = fc.record({
  header: fc.option(fc.constantFrom(...TEXTS), { nil: undefined }),
  config: fc.constantFrom('stages.yaml', 'ci/stages.yaml', 'odd "name".yaml'),
  services: fc.array(
    fc.record({
      dockerfile: fc.constantFrom(...DOCKERFILES),
      description: fc.option(fc.constantFrom(...TEXTS), { nil: undefined }),
      env: fc.constantFrom('plain', 'a\u0001b', '$X'),
      run: fc.constantFrom('make', 'echo "<<EOF"', 'a <<b', 'x\\', '--flag', '# no'),
      image: fc.constantFrom('debian:bookworm-slim', 'Debian', 'node:${V}', 'a b'),
    }),
    { minLength: 1, maxLength: 6 },
  ),
});

describe('property: emitting through one run equals emitting each service alone', () => {
  it('same text, lines and refusals, in any order of services', () => {
    fc.assert(
      fc.property(projectArb, ({ header, config, services }) => {
        const doc = {
          version: 1,
          ...(header !== undefined ? { header } : {}),
          services: Object.fromEntries(
            services.map((s, i) => [
              `svc-${i}`,
              {
                path: `apps/s${i}`,
                dockerfile: s.dockerfile,
                ...(s.description !== undefined ? { description: s.description } : {}),
                stages: {
                  runtime: { from: s.image, env: { E: s.env }, steps: [{ run: s.run }, { copy: '.' }], cmd: [s.run] },
                },
              },
            ]),
          ),
        };
        const loaded = load(stringify(doc), config);
        const validated = validate(loaded.data, loaded.source);
        if (!validated.config) return;
        const resolved = resolve(validated.config, loaded.source).project.services;
        // Resolve normalises `dockerfile`; the emitter must also hold for a path as written (`a/b/..`).
        const all = [...resolved, ...resolved.map((s, i) => ({ ...s, dockerfile: services[i]!.dockerfile }))];
        const run = emitRun(config);
        const shared = all.map((s) => emitDockerfileText(s, run));
        all.forEach((service, i) => {
          const alone = emitDockerfile(service, config);
          expect(shared[i]!.text).toBe(alone.text);
          expect(shared[i]!.refusals).toEqual(alone.refusals);
          expect(shared[i]!.lines).toStrictEqual(alone.lines);
          expect(shared[i]!.path).toBe(alone.path);
        });
      }),
      params(150),
    );
  });
});

describe('property: the token layer fast paths agree with the full scans', () => {
  const unit = fc.constantFrom('a', ' ', '\n', '\t', '\r', '\u0000', '\u007f', '\u0085', '\u2028', '\u2029', '$', '<', 'é', '😀', '-');
  const CONTROL = /[\u0000-\u001f\u007f\u0085\u2028\u2029]/u;
  it('controlCharacter finds the first control character not allowed, as a character-by-character walk does', () => {
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 12 }), fc.constantFrom('', '\n', '\n\t'), (value, allow) => {
        let first: string | undefined;
        for (const c of value) if (first === undefined && CONTROL.test(c) && !allow.includes(c)) first = c;
        expect(tokens.controlCharacter(value, allow)).toBe(first);
      }),
      params(300),
    );
  });
});
