import type { YamlPath } from '@stagec/core';

/**
 * Every string field that reaches a Dockerfile, each in a minimal stages.yaml of its own. `plain`
 * is an ordinary value, unique in the output, so that the output for any other value can be
 * compared with the output for the plain one, the plain text replaced by the value.
 */
export interface Field {
  name: string;
  plain: string;
  /** The document with `v` in the field. */
  doc: (v: string) => Record<string, unknown>;
  /** Where the value is written, for the position of a refusal. */
  path: YamlPath;
  /** The value is a mapping key. */
  key?: boolean;
  /** A shell-form command: its surrounding blanks and trailing newlines mean nothing and are not written. */
  shell?: boolean;
}

const SYNTAX = 'docker/dockerfile:1.20-labs';
const base = { from: 'debian:bookworm-slim' };
const S: YamlPath = ['services', 'api', 'stages', 'app'];

/** One service, one stage `app`; `top` adds top-level or service keys. */
const doc = (stage: Record<string, unknown>, service: Record<string, unknown> = {}, top: Record<string, unknown> = {}) => ({
  version: 1,
  ...top,
  services: { api: { path: 'apps/api', syntax: SYNTAX, ...service, stages: { app: { ...base, ...stage } } } },
});
const step = (s: Record<string, unknown>, i = 0): [Record<string, unknown>, YamlPath] => [{ steps: [s] }, [...S, 'steps', i]];

const SHELL_FIELDS = /^(run|healthcheck test \(shell\)|entrypoint \(shell\)|cmd \(shell\))/;
const field = (name: string, plain: string, build: (v: string) => Record<string, unknown>, path: YamlPath, key = false): Field => ({
  name,
  plain,
  doc: build,
  path,
  ...(key ? { key } : {}),
  ...(SHELL_FIELDS.test(name) ? { shell: true } : {}),
});

export const FIELDS: Field[] = [
  field('stage name', 'zqv0', (v) => ({ version: 1, services: { api: { path: 'apps/api', stages: { [v]: base } } } }), ['services', 'api', 'stages'], true),
  field('service name', 'zqv0', (v) => ({ version: 1, services: { [v]: { path: 'apps/api', stages: { app: base } } } }), ['services'], true),
  field(
    'tag (through a cross-service FROM)',
    'zqv0',
    (v) => ({
      version: 1,
      services: {
        api: { path: 'apps/api', stages: { app: { from: { service: 'base', stage: 'b' } } } },
        base: { path: 'apps/base', image: 'reg.example/base', tag: v, stages: { b: base } },
      },
    }),
    ['services', 'base', 'tag'],
  ),
  field('from (image)', 'zqv0:1', (v) => doc({ from: { image: v } }), [...S, 'from', 'image']),
  field('from (bare image)', 'zqv0:1', (v) => doc({ from: v }), [...S, 'from']),
  field('registry', 'reg.example/zqv0', (v) => doc({}, { registry: v }), ['services', 'api', 'registry']),
  field('image', 'reg.example/zqv0', (v) => doc({}, { image: v }), ['services', 'api', 'image']),
  field('syntax', 'zqv0/dockerfile:1.20-labs', (v) => doc({}, { syntax: v }), ['services', 'api', 'syntax']),
  field('platform', 'linux/zqv0', (v) => doc({ platform: v }), [...S, 'platform']),
  field('description', 'zqv0 text', (v) => doc({ description: v }), [...S, 'description']),
  field('global arg value', 'zqv0', (v) => doc({}, {}, { args: { GA: v } }), ['args', 'GA']),
  field('stage arg value', 'zqv0', (v) => doc({ args: { A: v } }), [...S, 'args', 'A']),
  field('env value', 'zqv0', (v) => doc({ env: { E: v } }), [...S, 'env', 'E']),
  field('label key', 'org.zqv0', (v) => doc({ labels: { [v]: 'x' } }), [...S, 'labels'], true),
  field('label value', 'zqv0', (v) => doc({ labels: { l: v } }), [...S, 'labels', 'l']),
  field('service label value', 'zqv0', (v) => doc({}, { labels: { l: v } }), ['services', 'api', 'labels', 'l']),
  field('workdir', '/zqv0', (v) => doc({ workdir: v }), [...S, 'workdir']),
  field('user', 'zqv0', (v) => doc({ user: v }), [...S, 'user']),
  field('shell', 'zqv0', (v) => doc({ shell: ['/bin/sh', v] }), [...S, 'shell', 1]),
  field('expose', '80', (v) => doc({ expose: [v] }), [...S, 'expose', 0]),
  field('volumes', '/zqv0', (v) => doc({ volumes: [v] }), [...S, 'volumes', 0]),
  field('healthcheck test (exec)', 'zqv0', (v) => doc({ healthcheck: { test: ['CMD', v] } }), [...S, 'healthcheck', 'test', 1]),
  field('healthcheck test (shell)', 'zqv0 check', (v) => doc({ healthcheck: { test: v } }), [...S, 'healthcheck', 'test']),
  field('stopsignal', 'SIGTERM', (v) => doc({ stopsignal: v }), [...S, 'stopsignal']),
  field('entrypoint (exec)', 'zqv0', (v) => doc({ entrypoint: [v, 'x'] }), [...S, 'entrypoint', 0]),
  field('entrypoint (shell)', 'zqv0 x', (v) => doc({ entrypoint: v }), [...S, 'entrypoint']),
  field('cmd (exec)', 'zqv0', (v) => doc({ cmd: [v] }), [...S, 'cmd', 0]),
  field('cmd (shell)', 'zqv0 x', (v) => doc({ cmd: v }), [...S, 'cmd']),
  ...stepFields(),
];

function stepFields(): Field[] {
  const f = (name: string, plain: string, make: (v: string) => Record<string, unknown>, sub: YamlPath, key = false): Field => {
    const [stage, at] = step(make(plain));
    void stage;
    return field(name, plain, (v) => doc(step(make(v))[0]), [...at, ...sub], key);
  };
  return [
    f('run (string)', 'echo zqv0', (v) => ({ run: v }), ['run']),
    f('run (list)', 'echo zqv0', (v) => ({ run: ['true', v] }), ['run', 1]),
    f('run.command', 'echo zqv0', (v) => ({ run: { command: v } }), ['run', 'command']),
    f('run.commands', 'echo zqv0', (v) => ({ run: { commands: [v, 'true'], cache: ['/a', '/b'] } }), ['run', 'commands', 0]),
    f('cache target', '/zqv0', (v) => ({ run: { command: 'true', cache: [v] } }), ['run', 'cache', 0]),
    f('cache id', 'zqv0', (v) => ({ run: { command: 'true', cache: [{ target: '/c', id: v }] } }), ['run', 'cache', 0, 'id']),
    f('secret id', 'zqv0', (v) => ({ run: { command: 'true', secrets: [v] } }), ['run', 'secrets', 0]),
    f('secret target', '/zqv0', (v) => ({ run: { command: 'true', secrets: [{ id: 's', target: v }] } }), ['run', 'secrets', 0, 'target']),
    f('secret env', 'ZQV0', (v) => ({ run: { command: 'true', secrets: [{ id: 's', env: v }] } }), ['run', 'secrets', 0, 'env']),
    f('bind source', 'zqv0', (v) => ({ run: { command: 'true', mounts: [{ type: 'bind', source: v, target: '/m' }] } }), ['run', 'mounts', 0, 'source']),
    f('bind target', '/zqv0', (v) => ({ run: { command: 'true', mounts: [{ type: 'bind', target: v }] } }), ['run', 'mounts', 0, 'target']),
    f('bind from', 'zqv0:1', (v) => ({ run: { command: 'true', mounts: [{ type: 'bind', from: v, target: '/m' }] } }), ['run', 'mounts', 0, 'from']),
    f('tmpfs target', '/zqv0', (v) => ({ run: { command: 'true', mounts: [{ type: 'tmpfs', target: v }] } }), ['run', 'mounts', 0, 'target']),
    f('ssh id', 'zqv0', (v) => ({ run: { command: 'true', mounts: [{ type: 'ssh', id: v }] } }), ['run', 'mounts', 0, 'id']),
    f('copy (string)', 'zqv0', (v) => ({ copy: v }), ['copy']),
    f('copy src', 'zqv0', (v) => ({ copy: { src: [v, 'b'], dest: '/d/' } }), ['copy', 'src', 0]),
    f('copy dest', '/zqv0/', (v) => ({ copy: { src: 'a', dest: v } }), ['copy', 'dest']),
    f('copy from (image)', 'zqv0:1', (v) => ({ copy: { src: '/a', dest: '/b', from: { image: v } } }), ['copy', 'from', 'image']),
    f('copy chown', 'zqv0', (v) => ({ copy: { src: 'a', dest: '/b', chown: v } }), ['copy', 'chown']),
    f('copy chmod', '0755', (v) => ({ copy: { src: 'a', dest: '/b', chmod: v } }), ['copy', 'chmod']),
    f('copy exclude', 'zqv0', (v) => ({ copy: { src: 'a', dest: '/b', exclude: [v] } }), ['copy', 'exclude', 0]),
    f('add src', 'zqv0', (v) => ({ add: { src: v, dest: '/b' } }), ['add', 'src']),
    f('add dest', '/zqv0', (v) => ({ add: { src: 'a', dest: v } }), ['add', 'dest']),
    f('add checksum', 'sha256:zqv0', (v) => ({ add: { src: 'https://x/a', dest: '/b', checksum: v } }), ['add', 'checksum']),
    f('add chown', 'zqv0', (v) => ({ add: { src: 'a', dest: '/b', chown: v } }), ['add', 'chown']),
    f('env step value', 'zqv0', (v) => ({ env: { S: v } }), ['env', 'S']),
    f('arg step value', 'zqv0', (v) => ({ arg: { SA: v } }), ['arg', 'SA']),
    f('workdir step', '/zqv0', (v) => ({ workdir: v }), ['workdir']),
    f('user step', 'zqv0', (v) => ({ user: v }), ['user']),
    f('shell step', 'zqv0', (v) => ({ shell: [v] }), ['shell', 0]),
  ];
}

/** The payload classes of issue #9, each inserted before, inside or after the plain value. */
export const PAYLOADS = [
  '\n', '\r', '\r\n', '\u2028', '\u2029', '\u0085', '\u0000', '\u000b', '\u000c', '\\\n', '\\', '"', "'", '$', '${X}', '`id`',
  '"]', '\\",', '", "x', '# x', '<<EOF', '<<-EOF', '2<<X', '\nEOF\r\n', '\nEOF \n', '\nEOF\t\n', '\nEOF', ' ', '  ', '\t', ',',
  '=', ',target=/x', ' --mount=type=bind,target=/x', '--x', '--network=host', 'é✓', '\nUSER root', ' \\', 'a=b c=d', '[', ']',
];

export type Place = 'prefix' | 'middle' | 'suffix' | 'whole';

export function insert(plain: string, payload: string, place: Place): string {
  if (place === 'whole') return payload;
  if (place === 'prefix') return payload + plain;
  if (place === 'suffix') return plain + payload;
  const k = Math.ceil(plain.length / 2);
  return plain.slice(0, k) + payload + plain.slice(k);
}
