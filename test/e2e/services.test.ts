import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compile } from '@stagec/core';
import { docker, httpGet, imageSize, mb, runDetached, sh, stagec, workspaceCopy, REPO } from './engine';

// Real builds of every stage of every sample service, with the repo's own stages.yaml, then
// the runtime images run and do their job. Numbers go to $STAGEC_E2E_DIR/results.md.
const ws = workspaceCopy();
// The copy's stages.yaml: it may name another registry (STAGEC_E2E_REGISTRY).
const project = compile(readFileSync(join(ws, 'stages.yaml'), 'utf8')).project!;
const services = project.services.map((s) => s.name);
const results: string[] = [];
const tag = (service: string, stage: string): string => {
  const s = project.services.find((x) => x.name === service)!;
  return stage === s.target ? `${s.image}:${s.tag}` : `${s.image}:${s.tag}-${stage}`;
};

/** BuildKit plain progress: is the step whose command contains `needle` reported CACHED? */
function stepCached(log: string, needle: string): boolean {
  const step = log.split('\n').find((l) => /^#\d+ \[/.test(l) && l.includes(needle));
  if (!step) throw new Error(`no step with "${needle}" in the build log`);
  const id = step.split(' ')[0]!;
  return log.split('\n').some((l) => l === `${id} CACHED`);
}

afterAll(() => {
  const out = join(process.env.STAGEC_E2E_DIR ?? '/tmp/stagec-e2e', 'results.md');
  writeFileSync(out, `${results.join('\n')}\n`);
  console.log(`\n${results.join('\n')}\n(written to ${out})`);
});

describe.each(services)('service %s', (service) => {
  const stages = project.services.find((s) => s.name === service)!.stages.map((s) => s.name);
  it.each(stages)(`stagec build ${service} --target %s`, (stage) => {
    const r = stagec(ws, 'build', service, '--target', stage, '--', '--progress=plain');
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    expect(r.stderr).toContain('stagec build summary');
    expect(docker('image', 'inspect', tag(service, stage)).status).toBe(0);
    results.push(`| ${service} | ${stage} | ${mb(imageSize(tag(service, stage)))} | ${r.seconds.toFixed(1)} s |`);
  });
});

describe('runtime images do their job', () => {
  it('api answers HTTP', async () => {
    const stop = runDetached(tag('api', 'runtime'), { PORT: '18080' });
    try {
      const health = await httpGet('http://127.0.0.1:18080/health');
      expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
      expect(JSON.parse((await httpGet('http://127.0.0.1:18080/hello?name=e2e')).body)).toEqual({ message: 'hello, e2e' });
    } finally {
      stop();
    }
  });

  it('web serves the built site and 404s the rest', async () => {
    const stop = runDetached(tag('web', 'server'), { PORT: '18081' });
    try {
      const page = await httpGet('http://127.0.0.1:18081/index.html');
      expect(page.status).toBe(200);
      expect(page.body).toContain('<!doctype html>');
      expect((await httpGet('http://127.0.0.1:18081/missing.html')).status).toBe(404);
    } finally {
      stop();
    }
  });

  it('the Go binary runs in scratch', async () => {
    const stop = runDetached(tag('hello-go', 'runtime'), { PORT: '18082' });
    try {
      expect((await httpGet('http://127.0.0.1:18082/health')).status).toBe(200);
    } finally {
      stop();
    }
    const once = docker('run', '--rm', tag('hello-go', 'runtime'), '-once');
    expect(once.stdout).toContain('hello, world from go');
  });

  it('the worker prints its result and exits 0', () => {
    const r = docker('run', '--rm', '-e', 'WORKER_INPUT=2 4 6', tag('worker', 'runtime'));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('result: {"count": 3, "max": 6, "mean": 4, "sum": 12}');
  });
});

describe('runtime images hold only the base and the artifacts', () => {
  it.each([
    ['api', 'build', 'runtime', 0.75],
    ['hello-go', 'build', 'runtime', 0.05],
    ['worker', 'build', 'runtime', 0.3],
    ['web', 'build', 'server', 0.05],
  ] as const)('%s: %s is much smaller than %s', (service, build, runtime, ratio) => {
    const b = imageSize(tag(service, build));
    const r = imageSize(tag(service, runtime));
    results.push(`| ${service} | size ${runtime} / ${build} | ${mb(r)} / ${mb(b)} | ${((100 * r) / b).toFixed(0)}% |`);
    expect(r).toBeLessThan(b * ratio);
  });
});

describe('a failing test fails the build', () => {
  it.each(['api', 'hello-go', 'worker', 'web'])('%s --target test with a failing test exits 1 naming the target', (service) => {
    const path = project.services.find((s) => s.name === service)!.path;
    const marker = join(ws, path, 'STAGEC_E2E_FAIL');
    writeFileSync(marker, 'make the tests fail\n');
    try {
      const r = stagec(ws, 'build', service, '--target', 'test');
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`failed: ${service}:test`);
    } finally {
      sh('rm', ['-f', marker]);
    }
  });
});

describe('after a source-only change, the dependency install is CACHED', () => {
  it.each([
    ['api', 'src/server.js', 'apt-get install'],
    ['hello-go', 'main.go', 'go mod download'],
    ['worker', 'worker.py', 'apt-get install'],
    ['web', 'pages/index.html', 'apt-get install'],
  ])('%s: edit %s, rebuild: "%s" is CACHED', (service, file, step) => {
    const path = join(ws, project.services.find((s) => s.name === service)!.path, file);
    // Unique content each run: BuildKit's cache is content-addressed, a repeat edit would be CACHED too.
    const stamp = `e2e ${Date.now()} ${Math.random()}`;
    appendFileSync(path, file.endsWith('.html') ? `\n<!-- ${stamp} -->\n` : file.endsWith('.py') ? `\n# ${stamp}\n` : `\n// ${stamp}\n`);
    const r = stagec(ws, 'build', service, '--target', 'test', '--', '--progress=plain');
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    expect(stepCached(r.stderr, step)).toBe(true);
    expect(stepCached(r.stderr, 'COPY . ')).toBe(false);
    results.push(`| ${service} | rebuild after editing ${file} | ${step}: CACHED | ${r.seconds.toFixed(1)} s |`);
  });
});

describe('a second engine: buildah', () => {
  const hasBuildah = sh('sh', ['-c', 'command -v buildah']).status === 0;
  // buildah's default pull policy asks the registry for newer base images; offline, use the local one.
  it.runIf(hasBuildah)('builds the worker test and runtime stages with --engine buildah', () => {
    for (const target of ['test', 'runtime']) {
      const r = sh(process.execPath, [join(REPO, 'packages/cli/bin/stagec.js'), 'build', 'worker', '--engine', 'buildah', '--target', target, '--', '--pull=false'], {
        cwd: ws,
        env: { STAGEC_BUILDAH: 'buildah --storage-driver vfs', BUILDAH_ISOLATION: 'chroot' },
      });
      expect(r.status, r.stderr.slice(-3000)).toBe(0);
      results.push(`| worker (buildah) | ${target} | built | ${r.seconds.toFixed(1)} s |`);
    }
    expect(sh('buildah', ['--storage-driver', 'vfs', 'images']).stdout).toContain(project.services.find((s) => s.name === 'worker')!.image);
  });
  it('buildah is installed by the e2e setup', () => {
    expect(hasBuildah || existsSync('/usr/bin/buildah')).toBe(true);
  });
});
