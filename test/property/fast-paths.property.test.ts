// The fast paths of compile (emit, tokens, pinning) against the plain computations they stand in for.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { posix } from 'node:path';
import {
  collectImages,
  compile,
  configRelativeTo,
  contextSet,
  load,
  resolve,
  tokens,
  validate,
  type Lock,
  type Workspace,
} from '@stagec/core';
import { literalSegment } from '../../packages/core/src/contexts/pattern';
import type { ContextSet } from '../../packages/core/src/contexts/set';
import { pinImages } from '../../packages/core/src/lock';
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
  pipelineImage: fc.constantFrom('debian:bookworm-slim', 'Debian', 'node:${V}'),
  pipelineRun: fc.constantFrom('make', 'a <<b', 'x\\', 'ok\u0001'),
  config: fc.constantFrom('stages.yaml', 'ci/stages.yaml', 'odd "name".yaml'),
  services: fc.array(
    fc.record({
      dockerfile: fc.constantFrom(...DOCKERFILES),
      description: fc.option(fc.constantFrom(...TEXTS), { nil: undefined }),
      env: fc.constantFrom('plain', 'a\u0001b', '$X'),
      run: fc.constantFrom('make', 'echo "<<EOF"', 'a <<b', 'x\\', '--flag', '# no'),
      image: fc.constantFrom('debian:bookworm-slim', 'Debian', 'node:${V}', 'a b'),
      // Services that keep the pipeline's stages share them (one resolved stage object).
      override: fc.constantFrom('none', 'runtime', 'build'),
    }),
    { minLength: 1, maxLength: 6 },
  ),
});

describe('property: emitting through one run equals emitting each service alone', () => {
  it('same text, lines and refusals, in any order of services', () => {
    fc.assert(
      fc.property(projectArb, ({ header, config, services, pipelineImage, pipelineRun }) => {
        const doc = {
          version: 1,
          ...(header !== undefined ? { header } : {}),
          pipelines: {
            p: {
              target: 'runtime',
              stages: {
                build: { from: pipelineImage, steps: [{ run: pipelineRun }, { copy: '.' }] },
                runtime: { from: 'debian:bookworm-slim', steps: [{ copy: { from: 'build', src: '/out', dest: '/app' } }], cmd: ['/app'] },
              },
            },
          },
          services: Object.fromEntries(
            services.map((s, i) => [
              `svc-${i}`,
              {
                path: `apps/s${i}`,
                dockerfile: s.dockerfile,
                ...(s.description !== undefined ? { description: s.description } : {}),
                pipeline: 'p',
                ...(s.override === 'none'
                  ? {}
                  : {
                      stages: {
                        [s.override]: { from: s.image, env: { E: s.env }, steps: [{ run: s.run }, { copy: '.' }], cmd: [s.run] },
                      },
                    }),
              },
            ]),
          ),
        };
        const loaded = load(stringify(doc), config);
        const validated = validate(loaded.data, loaded.source);
        if (!validated.config) return;
        const resolved = resolve(validated.config, loaded.source).project.services;
        if (resolved.length !== services.length) throw new Error('a generated service did not resolve');
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

describe('property: pinning notes a missing lock entry exactly where collectImages finds one', () => {
  const IMAGES = ['debian:12', 'node:20', 'tools:1', 'busybox:1', 'scratch'];
  const lockArb = fc.subarray(IMAGES);
  const serviceArb = fc.record({
    from: fc.constantFrom(...IMAGES),
    copyFrom: fc.option(fc.constantFrom(...IMAGES), { nil: undefined }),
    bindFrom: fc.option(fc.constantFrom(...IMAGES), { nil: undefined }),
    // Services that adopt the pipeline unchanged share its resolved stages.
    adopt: fc.boolean(),
  });
  it('the same LOCK_MISSING diagnostics as collecting every image, and every locked reference pinned', () => {
    fc.assert(
      fc.property(
        fc.array(serviceArb, { minLength: 1, maxLength: 4 }),
        lockArb,
        fc.nat(3),
        fc.constantFrom(...IMAGES),
        (services, locked, pick, shared) => {
          const doc = {
            version: 1,
            pipelines: {
              p: {
                target: 'runtime',
                stages: {
                  build: { from: shared, steps: [{ run: { command: 'make', mounts: [{ type: 'bind', from: shared, target: '/t' }] } }] },
                  runtime: { from: 'debian:12', steps: [{ copy: { from: { image: shared }, src: '/a', dest: '/a' } }] },
                },
              },
            },
            services: Object.fromEntries(
              services.map((s, i) => [
                `s${i}`,
                s.adopt
                  ? { path: `apps/s${i}`, pipeline: 'p' }
                  : {
                      path: `apps/s${i}`,
                      stages: {
                        build: { from: s.from, steps: [{ run: 'make' }] },
                        runtime: {
                          from: 'debian:12',
                          steps: [
                            ...(s.copyFrom ? [{ copy: { from: { image: s.copyFrom }, src: '/a', dest: '/a' } }] : []),
                            ...(s.bindFrom
                              ? [{ run: { command: 'make', mounts: [{ type: 'bind', from: s.bindFrom, target: '/t' }] } }]
                              : []),
                          ],
                        },
                      },
                    },
              ]),
            ),
          };
          const text = stringify(doc);
          const lock: Lock = {
            version: 1,
            images: Object.fromEntries(locked.map((image) => [image, { name: image, digest: `sha256:${'a'.repeat(64)}` }])),
          };
          const selection = pick < services.length ? [`s${pick}`] : undefined;
          const result = compile(text, { lock, ...(selection ? { services: selection } : {}) });
          const loaded = load(text, 'stages.yaml');
          const project = resolve(validate(loaded.data, loaded.source).config!, loaded.source).project;
          const chosen = new Set(selection ?? project.services.map((s) => s.name));
          const lacking = collectImages(project, loaded.source).lockable.filter(
            (u) => !Object.hasOwn(lock.images, u.reference) && chosen.has(u.service),
          );
          const missing = result.diagnostics.filter((d) => d.code === 'LOCK_MISSING');
          // A stage that services share before pinning, they share after it.
          const pinned = pinImages(project, lock, loaded.source).project.services;
          project.services.forEach((a, i) =>
            project.services.forEach((b, j) =>
              a.stages.forEach((stage, k) => {
                const l = b.stages.indexOf(stage);
                if (l >= 0) expect(pinned[i]!.stages[k]).toBe(pinned[j]!.stages[l]);
              }),
            ),
          );
          expect(missing.map((d) => d.message).sort()).toEqual(
            [...new Set(lacking.map((u) => u.reference))]
              .map((r) => `image "${r}" has no entry in stages.lock, so it is not pinned`)
              .sort(),
          );
          for (const d of result.dockerfiles) {
            for (const image of IMAGES) {
              const pinned = locked.includes(image);
              for (const line of d.text.split('\n').filter((l) => l.startsWith('FROM ') || l.includes('from='))) {
                if (line.includes(`${image}@`)) expect(pinned, line).toBe(true);
                if (pinned && new RegExp(`[ =]${image.replace('.', '\\.')}( |,|$)`).test(line)) throw new Error(`unpinned: ${line}`);
              }
            }
          }
        },
      ),
      params(150),
    );
  });
});

describe('property: the config path of a header, counted by folder depth, is what path.posix computes', () => {
  const segment = fc.constantFrom('apps', 'a', '.', '..', '', 'stages.yaml', 'x y', 'Dockerfile', '.hidden', '...');
  it('configRelativeTo equals posix.relative from the Dockerfile folder', () => {
    fc.assert(
      fc.property(
        fc.array(segment, { minLength: 1, maxLength: 5 }),
        fc.constantFrom('stages.yaml', 'x', 'apps', 'ci/stages.yaml', '.', 'stages.yaml/'),
        (segments, config) => {
          const dockerfile = segments.join('/');
          const expected = posix.relative(posix.dirname(posix.normalize(dockerfile)), config) || config;
          expect(configRelativeTo(dockerfile, config)).toBe(expected);
        },
      ),
      params(500),
    );
  });
});

describe('property: context sets over the workspace index are what a search of the package list gives', () => {
  /** The search this replaced: the last package of a name, the first of a folder, breadth first over local dependencies. */
  function reference(servicePath: string, workspace: Workspace | undefined, include?: readonly string[]): ContextSet {
    const dirs = new Set<string>([servicePath]);
    if (workspace) {
      const byName = new Map(workspace.packages.filter((p) => p.name).map((p) => [p.name, p]));
      const start = workspace.packages.find((p) => p.dir === servicePath);
      const queue = start ? [start] : [];
      const seen = new Set<string>();
      while (queue.length) {
        const pkg = queue.shift()!;
        if (seen.has(pkg.dir)) continue;
        seen.add(pkg.dir);
        dirs.add(pkg.dir);
        for (const name of pkg.local) {
          const dep = byName.get(name);
          if (dep) queue.push(dep);
        }
      }
    }
    const rootFiles = include ? [...include] : [...(workspace?.rootFiles ?? [])];
    const packages = [...dirs].sort();
    return { entries: [...new Set([...packages, ...rootFiles])].sort(), packages, rootFiles: [...new Set(rootFiles)].sort() };
  }
  const name = fc.constantFrom('', 'a', 'b', 'c', 'd');
  const dir = fc.constantFrom('p/a', 'p/b', 'p/c', 'p/d', 'x');
  const workspaceArb = fc.record({
    manager: fc.constant('npm' as const),
    rootFiles: fc.subarray(['package.json', 'package-lock.json', '.npmrc']),
    // Duplicate names and folders on purpose: the index must pick what the search picked.
    packages: fc.array(fc.record({ name, dir, local: fc.subarray(['a', 'b', 'c', 'd', 'z']) }), { maxLength: 6 }),
  });
  it('the same entries, packages and root files for every service folder', () => {
    fc.assert(
      fc.property(
        fc.option(workspaceArb, { nil: undefined }),
        dir,
        fc.option(fc.subarray(['tsconfig.json', 'package.json']), { nil: undefined }),
        (workspace, path, include) => {
          expect(contextSet(path, workspace, include)).toEqual(reference(path, workspace, include));
        },
      ),
      params(400),
    );
  });
});

describe('property: a plain path segment is written as it is, as the escaping would write it', () => {
  const escaped = (name: string): string =>
    name
      .replace(/[\\*?[]/g, '\\$&')
      .replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, '?')
      .replace(/^([#!\s])/, '[$1]')
      .replace(/(\s)$/, '[$1]');
  const unit = fc.constantFrom(
    'a',
    'Z',
    '0',
    '_',
    '.',
    '-',
    '@',
    '+',
    ',',
    '=',
    '~',
    ' ',
    '\t',
    '#',
    '!',
    '*',
    '?',
    '[',
    '\\',
    '\n',
    'é',
    '\u2028',
  );
  it('literalSegment equals the full escaping for any name', () => {
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 8 }), (name) => {
        expect(literalSegment(name)).toBe(escaped(name));
      }),
      params(500),
    );
  });
});
