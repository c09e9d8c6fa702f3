import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, engineEnv, sh, stagec, REPO } from './engine';

// `stagec import` and `stagec init` against real BuildKit builds (README, "Migrating an existing monorepo"). Every image this
// file makes is named import-e2e-*; the toolchain images are kept between runs, the rest removed.
const SAMPLE = join(REPO, 'test/fixtures/import-e2e');
const made: string[] = [];
const network = ['--network=host'];

function build(context: string, dockerfile: string, tag: string, options: { target?: string; args?: Record<string, string> } = {}): void {
  const args = ['build', ...network, '-f', dockerfile, '-t', tag];
  if (options.target) args.push('--target', options.target);
  for (const [k, v] of Object.entries(options.args ?? {})) args.push('--build-arg', `${k}=${v}`);
  const r = docker(...args, context);
  expect(r.status, `${dockerfile} (${options.target ?? 'default'}):\n${r.stderr.slice(-3000)}`).toBe(0);
  made.push(tag);
}

/** What a container of the image would hold and run: its config, and its files (path, type, size). */
function describeImage(tag: string): { config: Record<string, unknown>; files: string[] } {
  const inspect = JSON.parse(docker('image', 'inspect', tag).stdout)[0].Config;
  const config = {
    User: inspect.User,
    WorkingDir: inspect.WorkingDir,
    Env: inspect.Env,
    Entrypoint: inspect.Entrypoint,
    Cmd: inspect.Cmd,
    ExposedPorts: inspect.ExposedPorts,
    Volumes: inspect.Volumes,
    Labels: inspect.Labels,
  };
  const id = docker('create', tag).stdout.trim();
  try {
    const listing = sh('bash', ['-c', `"${engineEnv('STAGEC_DOCKER')}" export ${id} | tar -tv`]).stdout;
    // Mode, size and name; not the owner's name or the time. Logs and apt's state are not the image's content.
    const files = listing
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(/\s+/))
      .map((p) => `${p[0]} ${p[0]!.startsWith('-') ? p[2] : ''} ${p.slice(5).join(' ')}`)
      .filter(
        (l) =>
          !/ (var\/log|var\/cache|var\/lib\/apt|var\/lib\/dpkg|etc\/ld\.so\.cache|\.dockerenv|etc\/hostname|etc\/hosts|etc\/resolv\.conf|dev\/|proc\/|sys\/)/.test(
            l,
          ),
      )
      .sort();
    return { config, files };
  } finally {
    docker('rm', id);
  }
}

afterAll(() => {
  for (const tag of made) docker('rmi', '-f', tag);
});

describe('stagec import: the imported-and-recompiled sample monorepo builds the same images', () => {
  const original = mkdtempSync(join(tmpdir(), 'stagec-import-e2e-orig-'));
  const imported = mkdtempSync(join(tmpdir(), 'stagec-import-e2e-new-'));
  cpSync(SAMPLE, original, { recursive: true });
  cpSync(SAMPLE, imported, { recursive: true });
  const files = ['apps/hello/Dockerfile', 'jobs/report/Dockerfile', 'services/clock/Dockerfile', 'services/greeter/Dockerfile'];

  beforeAll(() => {
    const i = stagec(imported, 'import');
    expect(i.status, i.stdout + i.stderr).toBe(0);
    const c = stagec(imported, 'compile', '--force');
    expect(c.status, c.stderr).toBe(0);
  });

  it.each(files)('%s', (file) => {
    const name = file.split('/')[1]!;
    const context = (root: string) => join(root, dirname(file));
    build(context(original), join(original, file), `import-e2e-orig-${name}`);
    build(context(imported), join(imported, file), `import-e2e-new-${name}`);
    const a = describeImage(`import-e2e-orig-${name}`);
    const b = describeImage(`import-e2e-new-${name}`);
    expect(b.config).toEqual(a.config);
    expect(b.files.length).toBeGreaterThan(10);
    expect(b.files).toEqual(a.files);
  });

  it('the test stages build from the recompiled files too', () => {
    build(join(imported, 'services/greeter'), join(imported, 'services/greeter/Dockerfile'), 'import-e2e-new-greeter-test', {
      target: 'test',
    });
    build(join(imported, 'apps/hello'), join(imported, 'apps/hello/Dockerfile'), 'import-e2e-new-hello-test', { target: 'test' });
  });
});

// Stand-ins for the public base images init names, made from the local Debian image.
const LOCAL_IMAGES: Record<string, string> = {
  'import-e2e-node:local':
    'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*\n',
  'import-e2e-go:local':
    'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends golang-go && rm -rf /var/lib/apt/lists/*\nENV GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local\n',
  'import-e2e-python:local':
    'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip && rm -rf /var/lib/apt/lists/*\nENV PIP_BREAK_SYSTEM_PACKAGES=1\n',
};
const BUILD_ARGS = {
  NODE_IMAGE: 'import-e2e-node:local',
  GO_IMAGE: 'import-e2e-go:local',
  GO_RUNTIME_IMAGE: 'debian:bookworm-slim',
  PYTHON_IMAGE: 'import-e2e-python:local',
  STATIC_IMAGE: 'debian:bookworm-slim',
};

function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/** Builds the test stage and the default target of every service init wrote, base images pointed at the local ones. */
function buildAll(root: string, services: string[]): void {
  for (const service of services) {
    const folder = readdirSync(root, { recursive: true })
      .map(String)
      .find((p) => p.endsWith(`${service}/Dockerfile`))!;
    const context = join(root, dirname(folder));
    build(context, join(root, folder), `import-e2e-init-${service}-test`, { target: 'test', args: BUILD_ARGS });
    build(context, join(root, folder), `import-e2e-init-${service}`, { args: BUILD_ARGS });
  }
}

describe('stagec init', () => {
  beforeAll(() => {
    for (const [tag, dockerfile] of Object.entries(LOCAL_IMAGES)) {
      if (docker('image', 'inspect', tag).status === 0) continue;
      const r = sh(engineEnv('STAGEC_DOCKER'), ['build', ...network, '-t', tag, '-'], { input: dockerfile });
      expect(r.status, r.stderr.slice(-2000)).toBe(0);
    }
  });

  it("on the repo's own apps/ (Dockerfiles moved away) writes a stages.yaml that compiles, and the services build", () => {
    const root = mkdtempSync(join(tmpdir(), 'stagec-init-apps-'));
    cpSync(join(REPO, 'apps'), join(root, 'apps'), { recursive: true });
    for (const app of readdirSync(join(root, 'apps'))) rmSync(join(root, 'apps', app, 'Dockerfile'), { force: true });
    const init = stagec(root, 'init');
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/apps\/api: node/);
    expect(init.stdout).toMatch(/apps\/hello-go: go/);
    expect(init.stdout).toMatch(/apps\/worker: python/);
    expect(init.stdout).toMatch(/apps\/web: node-static/);
    const compiled = stagec(root, 'compile');
    expect(compiled.status, compiled.stderr).toBe(0);
    buildAll(root, ['api', 'hello-go', 'web', 'worker']);
  });

  it('on a generated sample repo: the services build, base images pointed at local ones', () => {
    const root = mkdtempSync(join(tmpdir(), 'stagec-init-sample-'));
    writeTree(root, {
      'package.json': '{ "name": "sample", "private": true, "workspaces": ["services/*"] }\n',
      'services/shop/package.json': '{ "name": "shop", "private": true, "scripts": { "start": "node index.js", "test": "node --test" } }\n',
      'services/shop/package-lock.json':
        '{ "name": "shop", "lockfileVersion": 3, "requires": true, "packages": { "": { "name": "shop" } } }\n',
      'services/shop/index.js': "module.exports = { price: (n) => n * 2 };\nif (require.main === module) console.log('shop');\n",
      'services/shop/test/price.test.js':
        "const test = require('node:test');\nconst assert = require('node:assert');\ntest('price', () => assert.strictEqual(require('../index.js').price(2), 4));\n",
      'services/stock/go.mod': 'module example.com/stock\n\ngo 1.19\n',
      'services/stock/main.go': 'package main\n\nimport "fmt"\n\nfunc count() int { return 3 }\n\nfunc main() { fmt.Println(count()) }\n',
      'services/stock/main_test.go':
        'package main\n\nimport "testing"\n\nfunc TestCount(t *testing.T) {\n\tif count() != 3 {\n\t\tt.Fatal("count")\n\t}\n}\n',
      'services/mailer/requirements.txt': '',
      'services/mailer/app.py': 'def subject(name):\n    return f"hello {name}"\n\n\nif __name__ == "__main__":\n    print(subject("x"))\n',
      'services/mailer/test_app.py':
        'import unittest\n\nfrom app import subject\n\n\nclass T(unittest.TestCase):\n    def test_subject(self):\n        self.assertEqual(subject("a"), "hello a")\n',
      'sites/landing/index.html': '<!doctype html><title>landing</title>\n',
    });
    const init = stagec(root, 'init');
    expect(init.status, init.stderr).toBe(0);
    const compiled = stagec(root, 'compile');
    expect(compiled.status, compiled.stderr).toBe(0);
    buildAll(root, ['shop', 'stock', 'mailer', 'landing']);
    // The runtimes run as non-root.
    for (const service of ['shop', 'stock', 'mailer', 'landing']) {
      expect(JSON.parse(docker('image', 'inspect', `import-e2e-init-${service}`).stdout)[0].Config.User).toBe('65532:65532');
    }
  });
});
