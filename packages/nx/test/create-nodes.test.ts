import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNodes, createNodesV2, StagesYamlError } from '../src';

const STAGES = `version: 1
defaults: { registry: ghcr.io/acme }
services:
  base:
    path: platform/base
    stages:
      runtime: { from: debian:bookworm-slim }
  api:
    path: apps/api
    stages:
      build: { from: node:20 }
      test: { from: build, steps: [{ run: npm test }] }
      runtime: { from: { service: base, stage: runtime }, steps: [{ copy: { from: build, src: /app, dest: /app } }] }
`;

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'stagec-nx-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const run = (root: string, options?: object) => createNodes[1](['stages.yaml'], options, { workspaceRoot: root });

describe('createNodes', () => {
  it('is exported under both names, globbing stages.yaml', () => {
    expect(createNodesV2).toBe(createNodes);
    expect(createNodes[0]).toBe('**/*.{yaml,yml}');
  });

  it('creates a project per service at its path, named after it, with image and image:<stage> targets', async () => {
    const [[file, { projects }]] = (await run(workspace({ 'stages.yaml': STAGES }))) as [[string, { projects: Record<string, any> }]];
    expect(file).toBe('stages.yaml');
    expect(Object.keys(projects)).toEqual(['apps/api', 'platform/base']);
    const api = projects['apps/api'];
    expect(api.name).toBe('api');
    expect(Object.keys(api.targets)).toEqual(['dockerfile', 'image:build', 'image:test', 'image:runtime', 'image']);
    expect(api.metadata.targetGroups).toEqual({ stagec: ['dockerfile', 'image:build', 'image:test', 'image:runtime', 'image'] });
    expect(api.implicitDependencies).toEqual(['base']);
  });

  it('image targets build with stagec from the workspace root, depend on the Dockerfile and on the services they build on', async () => {
    const [[, { projects }]] = (await run(workspace({ 'stages.yaml': STAGES }))) as [[string, { projects: Record<string, any> }]];
    expect(projects['apps/api'].targets.image).toMatchObject({ executor: 'nx:noop', dependsOn: [{ target: 'image:runtime', params: 'forward' }] });
    const image = projects['apps/api'].targets['image:runtime'];
    expect(image.command).toBe('stagec build api --target runtime --no-deps');
    expect(image.cache).toBe(false);
    expect(image.dependsOn).toEqual(['dockerfile', { projects: ['base'], target: 'image:runtime' }]);
    expect(image.inputs).toEqual(['{projectRoot}/**/*', '{workspaceRoot}/apps/api/**/*', '{workspaceRoot}/platform/base/**/*']);
    expect(image.metadata.technologies).toEqual(['docker']);
    const test = projects['apps/api'].targets['image:test'];
    expect(test.cache).toBe(true);
    expect(test.dependsOn).toEqual(['dockerfile']);
    expect(test.inputs).toEqual(['{projectRoot}/**/*', '{workspaceRoot}/apps/api/**/*']);
    const dockerfile = projects['apps/api'].targets.dockerfile;
    expect(dockerfile).toMatchObject({
      command: 'stagec compile --service api',
      cache: true,
      outputs: ['{workspaceRoot}/apps/api/Dockerfile'],
      inputs: [],
    });
  });

  it('fingerprints change exactly when a Dockerfile they build from changes (Nx hashes target options)', async () => {
    const fingerprints = async (text: string) => {
      const [[, { projects }]] = (await run(workspace({ 'stages.yaml': text }))) as [[string, { projects: Record<string, any> }]];
      const out: Record<string, string> = {};
      for (const [root, project] of Object.entries(projects)) {
        for (const [name, target] of Object.entries(project.targets as Record<string, any>)) {
          if (target.options?.env) out[`${root}:${name}`] = target.options.env.STAGEC_FINGERPRINT;
        }
      }
      return out;
    };
    const before = await fingerprints(STAGES);
    expect(Object.values(before).every((f) => /^[0-9a-f]{24}$/.test(f))).toBe(true);
    // A comment changes no Dockerfile: no fingerprint moves.
    expect(await fingerprints(`${STAGES}# a comment\n`)).toEqual(before);
    // The base image of base changes base's Dockerfile, and api's runtime, built on it; not api's test.
    const after = await fingerprints(STAGES.replace('debian:bookworm-slim', 'debian:trixie-slim'));
    const moved = Object.keys(before).filter((k) => before[k] !== after[k]).sort();
    expect(moved).toEqual(['apps/api:image:runtime', 'platform/base:dockerfile', 'platform/base:image:runtime']);
  });

  it('with stagesYamlInput, stages.yaml is an input of every dockerfile target', async () => {
    const [[, { projects }]] = (await run(workspace({ 'stages.yaml': STAGES }), { stagesYamlInput: true })) as [[string, { projects: Record<string, any> }]];
    expect(projects['apps/api'].targets.dockerfile.inputs).toEqual(['{workspaceRoot}/stages.yaml']);
  });

  it("caches each service's build.cacheOnly stages unless the cacheableStages option says otherwise", async () => {
    const config = STAGES.replace('defaults: { registry: ghcr.io/acme }', 'defaults: { registry: ghcr.io/acme, build: { cacheOnly: [build] } }');
    const [[, { projects }]] = (await run(workspace({ 'stages.yaml': config }))) as [[string, { projects: Record<string, any> }]];
    expect(projects['apps/api'].targets['image:build'].cache).toBe(true);
    expect(projects['apps/api'].targets['image:test'].cache).toBe(false);
    const [[, withOption]] = (await run(workspace({ 'stages.yaml': config }), { cacheableStages: ['test'] })) as [[string, { projects: Record<string, any> }]];
    expect(withOption.projects['apps/api'].targets['image:build'].cache).toBe(false);
    expect(withOption.projects['apps/api'].targets['image:test'].cache).toBe(true);
  });

  it('honours the options: target names, separator, cacheable stages, command, engine, config (paths relative to its folder)', async () => {
    const root = workspace({ 'ci/stages.yaml': STAGES });
    const results = await createNodes[1](['ci/stages.yaml'], {
      config: './ci/stages.yaml',
      targetName: 'docker',
      separator: '-',
      dockerfileTargetName: 'gen',
      cacheableStages: [],
      stagecCommand: 'node tools/stagec.js',
      engine: 'buildah',
    }, { workspaceRoot: root });
    const api = (results[0]![1].projects as Record<string, any>)['ci/apps/api'];
    expect(Object.keys(api.targets)).toEqual(['gen', 'docker-build', 'docker-test', 'docker-runtime', 'docker']);
    expect(api.targets['docker-test'].cache).toBe(false);
    expect(api.targets['docker-runtime'].command).toBe('node tools/stagec.js build api --target runtime --no-deps --engine buildah -c ci/stages.yaml');
    expect(api.targets['docker-runtime'].inputs).toEqual(['{projectRoot}/**/*', '{workspaceRoot}/ci/apps/api/**/*', '{workspaceRoot}/ci/platform/base/**/*']);
    expect(api.targets.gen.outputs).toEqual(['{workspaceRoot}/ci/apps/api/Dockerfile']);
  });

  it('a nested service stays in the build context inputs of the one around it (Nx leaves it out of {projectRoot})', async () => {
    const nested = `${STAGES}  worker:\n    path: apps/api/worker\n    stages:\n      build: { from: node:20 }\n`;
    const [[, { projects }]] = (await run(workspace({ 'stages.yaml': nested }))) as [[string, { projects: Record<string, any> }]];
    expect(projects['apps/api'].targets['image:test'].inputs).toContain('{workspaceRoot}/apps/api/**/*');
  });

  it('stays fast on deep diamond-shaped service graphs (each service builds on the two before it)', async () => {
    const lines = ['version: 1', 'services:', '  s0:', '    path: s/0', '    stages:', '      runtime: { from: debian:bookworm-slim }', '  s1:', '    path: s/1', '    stages:', '      runtime: { from: { service: s0, stage: runtime } }'];
    for (let i = 2; i < 40; i++) {
      lines.push(`  s${i}:`, `    path: s/${i}`, '    stages:', `      runtime: { from: { service: s${i - 1}, stage: runtime }, steps: [{ copy: { from: { service: s${i - 2}, stage: runtime }, src: /x, dest: /x${i} } }] }`);
    }
    const started = performance.now();
    const [[, { projects }]] = (await run(workspace({ 'stages.yaml': `${lines.join('\n')}\n` }))) as [[string, { projects: Record<string, any> }]];
    expect(performance.now() - started).toBeLessThan(3000);
    expect(projects['s/39'].targets['image:runtime'].inputs).toHaveLength(41);
  });

  it('rejects unknown options by name', async () => {
    const root = workspace({ 'stages.yaml': STAGES });
    await expect(run(root, { targetname: 'x' })).rejects.toThrow(/unknown option "targetname"/);
  });

  // DESIGN 10: several services on one path share the project; <path>/Dockerfile keeps the plain names.
  const SHARED = (order: string[]): string => {
    const services: Record<string, string> = {
      api: '  api:\n    path: apps/api\n    stages:\n      build: { from: node:20 }\n      runtime: { from: build }\n',
      'api-debug': '  api-debug:\n    path: apps/api\n    dockerfile: apps/api/Dockerfile.debug\n    stages:\n      debug: { from: { service: api, stage: build } }\n',
      genproto: '  genproto:\n    path: apps/api\n    dockerfile: apps/api/genproto.Dockerfile\n    description: protobuf code generator\n    stages:\n      gen: { from: debian:bookworm-slim }\n',
      tools: '  tools:\n    path: apps/api\n    dockerfile: apps/api/docker/tools.txt\n    stages:\n      tools: { from: debian:bookworm-slim }\n',
    };
    return `version: 1\nservices:\n${order.map((n) => services[n]).join('')}`;
  };

  it('gives several services on one path one project: image / image-<suffix> from the file name, else the service name', async () => {
    const [[, { projects }]] = (await run(workspace({ 'stages.yaml': SHARED(['api', 'api-debug', 'genproto', 'tools']) }))) as [[string, { projects: Record<string, any> }]];
    expect(Object.keys(projects)).toEqual(['apps/api']);
    const project = projects['apps/api'];
    expect(project.name).toBe('api');
    expect(Object.keys(project.targets)).toEqual([
      'dockerfile', 'image:build', 'image:runtime', 'image',
      'dockerfile-debug', 'image-debug:debug', 'image-debug',
      'dockerfile-genproto', 'image-genproto:gen', 'image-genproto',
      'dockerfile-tools', 'image-tools:tools', 'image-tools',
    ]);
    expect(project.targets['image-debug'].dependsOn).toEqual([{ target: 'image-debug:debug', params: 'forward' }]);
    expect(project.targets['image-debug:debug'].command).toBe('stagec build api-debug --target debug --no-deps');
    expect(project.targets['image-debug:debug'].dependsOn).toEqual(['dockerfile-debug', 'image:build']);
    expect(project.targets['dockerfile-genproto'].outputs).toEqual(['{workspaceRoot}/apps/api/genproto.Dockerfile']);
    expect(project.implicitDependencies).toEqual([]);
    expect(project.metadata.description).toBe('protobuf code generator');
  });

  it('names never depend on the order of stages.yaml', async () => {
    const a = (await run(workspace({ 'stages.yaml': SHARED(['api', 'api-debug', 'genproto']) }))) as [[string, { projects: Record<string, any> }]];
    const b = (await run(workspace({ 'stages.yaml': SHARED(['genproto', 'api-debug', 'api']) }))) as [[string, { projects: Record<string, any> }]];
    expect(a[0][1].projects).toEqual(b[0][1].projects);
  });

  it('suffixes every service where none has <path>/Dockerfile; a lone service keeps the plain names', async () => {
    const [[, { projects }]] = (await run(workspace({ 'stages.yaml': SHARED(['genproto', 'tools']) }))) as [[string, { projects: Record<string, any> }]];
    expect(projects['apps/api'].name).toBe('genproto');
    expect(Object.keys(projects['apps/api'].targets)).toEqual(['dockerfile-genproto', 'image-genproto:gen', 'image-genproto', 'dockerfile-tools', 'image-tools:tools', 'image-tools']);
    const [[, lone]] = (await run(workspace({ 'stages.yaml': SHARED(['genproto']) }))) as [[string, { projects: Record<string, any> }]];
    expect(Object.keys(lone.projects['apps/api'].targets)).toEqual(['dockerfile', 'image:gen', 'image']);
  });

  it('a suffix collision is an error naming both services', async () => {
    const text = `${SHARED(['api', 'api-debug'])}  debug2:\n    path: apps/api\n    dockerfile: apps/api/debug.Dockerfile\n    stages:\n      x: { from: debian:bookworm-slim }\n`;
    const error = await run(workspace({ 'stages.yaml': text })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StagesYamlError);
    expect((error as Error).message).toMatch(/services "api-debug" and "debug2" on path apps\/api would both get the targets image-debug/);
  });

  it('refuses names Nx would misread: ":" in a project or target name, a stage target named like another target', async () => {
    const colon = workspace({ 'stages.yaml': STAGES, 'apps/api/package.json': '{"name": "acme:api"}' });
    await expect(run(colon)).rejects.toThrow(StagesYamlError);
    await expect(run(colon)).rejects.toThrow(/project "acme:api" \(service "api"\) has ":" in its name/);
    const root = workspace({ 'stages.yaml': STAGES });
    await expect(run(root, { targetName: 'docker:image' })).rejects.toThrow(/option targetName "docker:image" contains ":"/);
    await expect(run(root, { dockerfileTargetName: 'image:build' })).rejects.toThrow(/stage "build" of service "api" makes target "image:build"/);
    await expect(run(root, { targetName: 'x', dockerfileTargetName: 'x' })).rejects.toThrow(/both "x"/);
    // A scoped package name is fine: only ":" is misread.
    await expect(run(workspace({ 'stages.yaml': STAGES, 'apps/api/package.json': '{"name": "@acme/api"}' }))).resolves.toHaveLength(1);
  });

  it('the image alias has its default target\'s inputs, so nx affected -t image runs affected services', async () => {
    const [[, { projects }]] = (await run(workspace({ 'stages.yaml': STAGES }))) as [[string, { projects: Record<string, any> }]];
    const api = projects['apps/api'].targets;
    expect(api.image.inputs.length).toBeGreaterThan(0);
    expect(api.image.inputs).toEqual(api['image:runtime'].inputs);
    expect(api.image.dependsOn).toEqual([{ target: 'image:runtime', params: 'forward' }]);
  });

  it('keeps the name a package.json already gives the project', async () => {
    const root = workspace({ 'stages.yaml': STAGES, 'platform/base/package.json': '{"name": "@acme/base"}' });
    const [[, { projects }]] = (await run(root)) as [[string, { projects: Record<string, any> }]];
    expect(projects['platform/base'].name).toBe('@acme/base');
    expect(projects['apps/api'].implicitDependencies).toEqual(['@acme/base']);
    expect(projects['apps/api'].targets['image:runtime'].dependsOn).toContainEqual({ projects: ['@acme/base'], target: 'image:runtime' });
  });

  it('ignores stages.yaml files other than the configured one (fixtures, examples)', async () => {
    const root = workspace({ 'stages.yaml': STAGES, 'test/fixtures/x/stages.yaml': 'garbage: [' });
    expect(await createNodes[1](['stages.yaml', 'test/fixtures/x/stages.yaml'], undefined, { workspaceRoot: root })).toHaveLength(1);
  });

  it('caches its result in the Nx workspace data folder', async () => {
    // unique content: the in-process cache would answer for a text seen before
    const root = workspace({ 'stages.yaml': `${STAGES}# ${Math.random()}\n` });
    await run(root);
    expect(readdirSync(join(root, '.nx/workspace-data')).filter((f) => f.startsWith('stagec-nx-'))).toHaveLength(1);
  });

  it('a broken stages.yaml is an error carrying the diagnostic with file:line, not a stack trace', async () => {
    const root = workspace({ 'stages.yaml': STAGES.replace('from: build, steps', 'from: biuld, steps') });
    const error = await run(root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StagesYamlError);
    expect((error as Error).message).toMatch(/stages\.yaml:12:\d+ error UNKNOWN_STAGE/);
    expect((error as Error).stack).not.toMatch(/\n\s+at /);
    expect(existsSync(join(root, 'apps'))).toBe(false);
  });

  it('fails loudly, with stagec\'s diagnostic, for a missing config, a config of another name, and non-UTF-8 input (#10)', async () => {
    const root = workspace({ 'stages.yaml': STAGES });
    const missing = await run(root, { config: 'ci/stages.yaml' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(StagesYamlError);
    expect((missing as Error).message).toMatch(/ci\/stages\.yaml error FILE_NOT_FOUND/);
    await expect(run(root, { config: 'stages.json' })).rejects.toThrow(/must name a \.yaml or \.yml file/);
    const other = workspace({ 'build/pipeline.yml': STAGES });
    const [[file, { projects }]] = (await createNodes[1](['build/pipeline.yml'], { config: 'build/pipeline.yml' }, { workspaceRoot: other })) as [[string, { projects: Record<string, unknown> }]];
    expect(file).toBe('build/pipeline.yml');
    expect(Object.keys(projects)).toContain('build/apps/api');
    const latin1 = workspace({});
    writeFileSync(join(latin1, 'stages.yaml'), Buffer.from(`${STAGES}  # caf\xe9\n`, 'latin1'));
    const bad = await run(latin1).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(StagesYamlError);
    expect((bad as Error).message).toMatch(/stages\.yaml:\d+:\d+ error FILE_UNREADABLE/);
    expect((bad as Error).stack).not.toMatch(/\n\s+at /);
  });
});

describe('stages.lock', () => {
  const LOCK = (hex: string) => `version: 1\nimages:\n  "debian:bookworm-slim":\n    name: "docker.io/library/debian:bookworm-slim"\n    digest: "sha256:${hex.repeat(64)}"\n  "node:20":\n    name: "docker.io/library/node:20"\n    digest: "sha256:${'c'.repeat(64)}"\n`;
  const fingerprint = async (root: string) => {
    const [[, { projects }]] = (await run(root)) as [[string, { projects: Record<string, any> }]];
    return projects['platform/base'].targets.dockerfile.options.env;
  };

  it('a moved digest changes the cache key of the services that use the image, through their Dockerfile', async () => {
    const unlocked = await fingerprint(workspace({ 'stages.yaml': STAGES }));
    const a = await fingerprint(workspace({ 'stages.yaml': STAGES, 'stages.lock': LOCK('a') }));
    const b = await fingerprint(workspace({ 'stages.yaml': STAGES, 'stages.lock': LOCK('b') }));
    expect(a).not.toEqual(unlocked);
    expect(b).not.toEqual(a);
  });

  it('a malformed stages.lock fails loudly, naming the file and position', async () => {
    await expect(run(workspace({ 'stages.yaml': STAGES, 'stages.lock': 'version: 2\nimages: {}\n' }))).rejects.toThrow(/stages.lock:1:10 error LOCK_INVALID/);
  });
});
