import type { Doc } from '../import/model';
import type { Detected } from './detect';

/**
 * Base images, each behind a top-level ARG (DESIGN 11) so a team, or a test without registries,
 * points them elsewhere with `--build-arg` or the service's `args`.
 */
export const BASE_IMAGES: Record<string, Record<string, string>> = {
  node: { NODE_IMAGE: 'node:22-bookworm-slim' },
  'node-static': { NODE_IMAGE: 'node:22-bookworm-slim', STATIC_IMAGE: 'nginxinc/nginx-unprivileged:1.27-alpine' },
  go: { GO_IMAGE: 'golang:1.23-bookworm', GO_RUNTIME_IMAGE: 'gcr.io/distroless/static-debian12:nonroot' },
  python: { PYTHON_IMAGE: 'python:3.12-slim' },
  static: { STATIC_IMAGE: 'nginxinc/nginx-unprivileged:1.27-alpine' },
};

/** Non-root everywhere: the ids the distroless and nginx-unprivileged images use, numeric so any base works. */
const NONROOT = '65532:65532';

/** The pipelines of DESIGN 2's examples: dependencies as their own cached layer, a test stage, a small non-root runtime. */
export const PIPELINES: Record<string, Doc> = {
  node: {
    description: 'A Node service: dependencies in their own layer (npm cache mounted), build, test, a slim non-root runtime',
    target: 'runtime',
    stages: {
      deps: {
        from: '${NODE_IMAGE}',
        workdir: '/app',
        args: { NPM_INSTALL: 'ci' },
        steps: [{ copy: 'package*.json' }, { run: { command: 'npm ${NPM_INSTALL} --no-audit --no-fund', cache: ['/root/.npm'] } }],
      },
      build: { from: 'deps', steps: [{ copy: '.' }, { run: 'npm run build --if-present' }] },
      test: { from: 'build', steps: [{ run: 'npm test' }] },
      runtime: {
        from: '${NODE_IMAGE}',
        workdir: '/app',
        env: { NODE_ENV: 'production' },
        steps: [{ copy: { from: 'build', src: '/app', dest: '.' } }],
        user: NONROOT,
      },
    },
  },
  'node-static': {
    description: 'A site built with Node, served by an unprivileged web server',
    target: 'runtime',
    stages: {
      build: {
        from: '${NODE_IMAGE}',
        workdir: '/app',
        args: { NPM_INSTALL: 'ci' },
        steps: [{ copy: 'package*.json' }, { run: { command: 'npm ${NPM_INSTALL} --no-audit --no-fund', cache: ['/root/.npm'] } }, { copy: '.' }, { run: 'npm run build' }],
      },
      test: { from: 'build', steps: [{ run: 'npm test' }] },
      runtime: {
        from: '${STATIC_IMAGE}',
        args: { SITE_DIR: 'dist' },
        steps: [{ copy: { from: 'build', src: '/app/${SITE_DIR}/', dest: '/usr/share/nginx/html/' } }],
        expose: [8080],
        user: NONROOT,
      },
    },
  },
  go: {
    description: 'A static Go binary on distroless (build and module caches mounted), tested in its own stage',
    target: 'runtime',
    stages: {
      deps: {
        from: '${GO_IMAGE}',
        workdir: '/src',
        env: { CGO_ENABLED: '0' },
        steps: [{ copy: 'go.*' }, { run: { command: 'go mod download', cache: ['/go/pkg/mod'] } }],
      },
      build: {
        from: 'deps',
        steps: [{ copy: '.' }, { run: { command: 'go build -trimpath -ldflags="-s -w" -o /out/app .', cache: ['/go/pkg/mod', '/root/.cache/go-build'] } }],
      },
      test: { from: 'build', steps: [{ run: { command: 'go test ./...', cache: ['/go/pkg/mod', '/root/.cache/go-build'] } }] },
      runtime: {
        from: '${GO_RUNTIME_IMAGE}',
        steps: [{ copy: { from: 'build', src: '/out/app', dest: '/${{ service.name }}' } }],
        user: NONROOT,
        entrypoint: ['/${{ service.name }}'],
      },
    },
  },
  python: {
    description: 'A Python service: requirements in their own layer (pip cache mounted), unittest, a slim non-root runtime',
    target: 'runtime',
    stages: {
      deps: {
        from: '${PYTHON_IMAGE}',
        workdir: '/app',
        env: { PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
        steps: [{ copy: 'requirements.txt' }, { run: { command: 'pip install -r requirements.txt', cache: ['/root/.cache/pip'] } }],
      },
      build: { from: 'deps', steps: [{ copy: '.' }] },
      test: { from: 'build', steps: [{ run: 'python3 -m unittest -v' }] },
      runtime: { from: 'build', user: NONROOT },
    },
  },
  static: {
    description: 'A static site served by an unprivileged web server',
    target: 'runtime',
    stages: {
      test: { from: '${STATIC_IMAGE}', workdir: '/site', steps: [{ copy: '.' }, { run: 'test -f index.html' }] },
      runtime: { from: '${STATIC_IMAGE}', steps: [{ copy: { src: '.', dest: '/usr/share/nginx/html/' } }], expose: [8080], user: NONROOT },
    },
  },
};

/** One detected service: its pipeline and the few overrides its files call for. */
export function serviceEntry(found: Exclude<Detected, { kind: 'dockerfile' }>): Doc {
  const entry: Doc = { path: found.path, pipeline: found.kind };
  const stages: Doc = {};
  if (found.kind === 'node') {
    if (!found.lockfile) stages.deps = { args: { NPM_INSTALL: 'install' } };
    if (!found.test) stages.test = null;
    stages.runtime = { cmd: ['node', found.main] };
  } else if (found.kind === 'node-static') {
    if (!found.lockfile) stages.build = { args: { NPM_INSTALL: 'install' } };
    if (!found.test) stages.test = null;
  } else if (found.kind === 'python') {
    if (!found.requirements) stages.deps = { steps: found.pyproject ? [{ copy: 'pyproject.toml' }, { copy: '.' }, { run: { command: 'pip install .', cache: ['/root/.cache/pip'] } }] : [] };
    if (!found.test) stages.test = null;
    stages.runtime = { cmd: found.main };
  }
  if (Object.keys(stages).length > 0) entry.stages = stages;
  return entry;
}
