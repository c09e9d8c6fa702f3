// The generated monorepo of `npm run bench`: n services that use this round's
// language (vars at every level, step ids with edit, several services per folder, a header,
// description, x- anchors with merge keys) and a stages.lock, so compile does all its work:
// resolve, vars, edit, lock pinning, emit.

const PIPELINES = ['node', 'go', 'python'];

export const LOCK = `# Written by \`stagec lock\` from stages.yaml: the digest each image reference resolved to.
# \`stagec compile\` pins these (image:tag@sha256:...). Do not edit; refresh with \`stagec lock --update [image]\`.
version: 1
images:
  "debian:bookworm-slim":
    name: "docker.io/library/debian:bookworm-slim"
    digest: "sha256:${'2'.repeat(64)}"
  "golang:1.23-bookworm":
    name: "docker.io/library/golang:1.23-bookworm"
    digest: "sha256:${'3'.repeat(64)}"
`;

const folderOf = (i) => `services/team-${Math.floor(i / 8)}/svc-${i - (i % 2)}`;

/** The services' folders, which a real monorepo has (stagec warns about a missing one). */
export function folders(n) {
  return [...new Set(Array.from({ length: n }, (_, i) => folderOf(i)))];
}

function service(i) {
  const pipeline = PIPELINES[i % 3];
  const folder = folderOf(i);
  const lines = [`  svc-${i}:`, `    path: ${folder}`, `    pipeline: ${pipeline}`];
  // Every other service shares its folder with the one before it, in its own Dockerfile.
  if (i % 2 === 1) lines.push(`    dockerfile: ${folder}/Dockerfile.worker`);
  if (i % 5 === 0) lines.push(`    description: Service number ${i}, generated for the benchmark.`);
  lines.push(`    vars: { name: svc-${i}${i % 3 === 1 ? `, main: ./cmd/svc-${i}` : ''} }`);
  switch (i % 6) {
    case 0:
      lines.push('    stages:', `      runtime: { <<: *hardened, env: { PORT: ${3000 + (i % 1000)} }, expose: [${3000 + (i % 1000)}] }`);
      break;
    case 1:
      lines.push(
        '    stages:',
        '      test: null',
        '      build:',
        '        edit:',
        `          - { after: compile, steps: [{ run: "strip /out/\${{ vars.name }}" }] }`,
        '          - { remove: sources }',
        `          - { before: compile, steps: [{ copy: [cmd/, internal/] }] }`,
      );
      break;
    case 2:
      lines.push(
        `    args: { VERSION: "1.${i}" }`,
        '    stages:',
        '      deps:',
        '        edit: [{ replace: pip, with: { run: pip install --no-cache-dir -r requirements.txt } }]',
      );
      break;
    case 3:
      lines.push('    stages:', '      runtime: { user: null, workdir: /srv }');
      break;
    default:
      break;
  }
  return `${lines.join('\n')}\n`;
}

export function stagesYaml(n) {
  const services = [];
  for (let i = 0; i < n; i++) services.push(service(i));
  return `version: 1
header: |
  Copyright 2026 Bench Inc.
  Generated for the stagec benchmark.
defaults:
  registry: registry.example.com/bench
  labels: { org.opencontainers.image.vendor: Bench }
args: { VERSION: "0" }
vars: { name: app, main: ., port: "8080" }
x-anchors:
  hardened: &hardened
    user: "65534:65534"
    stopsignal: SIGTERM
stages:
  apt:
    from: debian:bookworm-slim
    args: { PACKAGES: "" }
    steps:
      - { id: apt-install, run: { commands: [apt-get update, "apt-get install -y --no-install-recommends \${PACKAGES}"], cache: [/var/cache/apt] } }
  unprivileged: { user: "65534:65534" }
  go-build:
    from: golang:1.23-bookworm
    workdir: /src
    steps:
      - { id: manifests, copy: [go.mod, go.sum] }
      - { id: download, run: go mod download }
      - { id: sources, copy: . }
      - { id: compile, run: "go build -o /out/\${{ vars.name }} \${{ vars.main }}" }
pipelines:
  node:
    target: runtime
    vars: { port: "3000" }
    stages:
      deps: { extends: apt, args: { PACKAGES: nodejs npm }, workdir: /app, append: [{ id: manifests, copy: [package.json, package-lock.json] }, { id: install, run: npm ci }] }
      build: { from: deps, steps: [{ id: sources, copy: . }, { id: compile, run: npm run build }] }
      test: { from: build, steps: [{ run: npm test }] }
      runtime: { extends: [apt, unprivileged], args: { PACKAGES: nodejs }, env: { NODE_ENV: production, PORT: "\${{ vars.port }}" }, append: [{ copy: { from: build, src: /app/dist, dest: /app } }], cmd: [node, /app/index.js] }
  go:
    target: runtime
    stages:
      build: { extends: go-build }
      test: { from: build, steps: [{ run: go test ./... }] }
      runtime: { from: scratch, extends: unprivileged, steps: [{ copy: { from: build, src: "/out/\${{ vars.name }}", dest: /app } }], entrypoint: [/app] }
  python:
    target: runtime
    vars: { port: "8000" }
    stages:
      deps: { extends: apt, args: { PACKAGES: python3 python3-pip }, workdir: /app, append: [{ id: sources, copy: . }, { id: pip, run: pip install -r requirements.txt }] }
      build: { from: deps, steps: [{ run: python3 -m compileall . }] }
      test: { from: build, steps: [{ run: python3 -m unittest }] }
      runtime: { extends: [apt, unprivileged], args: { PACKAGES: python3 }, env: { PORT: "\${{ vars.port }}" }, append: [{ copy: { from: build, src: /app, dest: /app } }], cmd: [python3, /app/main.py] }
services:
${services.join('')}`;
}
