import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { dockerString } from '../property/generators';
import { docker, stagec } from './engine';

// The escaping property, with BuildKit as the judge: values full of quotes, backslashes,
// spaces, '#', '=' and unicode go through stages.yaml and a real build, and come back out of
// the image (ENV and LABEL from its config, ARG from the environment of a RUN) exactly as
// written. `$` is left out: in stages.yaml as in a Dockerfile it means variable expansion.
const FIXED = ["'a", '"', '\\', 'a\\b', '\\"', ' lead', 'trail ', '#x', 'a=b', 'a  b', '', '}{', 'é ✓ 日', 'it\'s "quoted"'];
const values = [
  ...FIXED,
  ...fc.sample(
    dockerString.filter((s) => !s.includes('$')),
    { numRuns: 40, seed: 20261127 },
  ),
];
const named = (prefix: string) => Object.fromEntries(values.map((v, i) => [`${prefix}${i}`, v]));

describe('escaping, judged by a real build', () => {
  it(`${values.length} values as ENV, LABEL and ARG read back from the image unchanged`, () => {
    const root = mkdtempSync(join(tmpdir(), 'stagec-e2e-esc-'));
    const stage = {
      from: 'debian:bookworm-slim',
      args: named('A'),
      env: named('E'),
      labels: named('l'),
      steps: [{ run: `env -0 > /build-env` }],
    };
    writeFileSync(
      join(root, 'stages.yaml'),
      stringify({ version: 1, services: { esc: { path: 'esc', image: 'stagec-e2e/esc', stages: { check: stage } } } }),
    );
    const built = stagec(root, 'build', 'esc', '--compile');
    expect(built.status, built.stderr.slice(-3000)).toBe(0);

    const config = JSON.parse(docker('image', 'inspect', '-f', '{{json .Config}}', 'stagec-e2e/esc:latest').stdout) as {
      Env: string[];
      Labels: Record<string, string>;
    };
    const env = Object.fromEntries(config.Env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    const runEnv = Object.fromEntries(
      docker('run', '--rm', 'stagec-e2e/esc:latest', 'cat', '/build-env')
        .stdout.split('\0')
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    );
    values.forEach((value, i) => {
      expect(env[`E${i}`], `ENV E${i}`).toBe(value);
      expect(config.Labels[`l${i}`], `LABEL l${i}`).toBe(value);
      expect(runEnv[`A${i}`], `ARG A${i}`).toBe(value);
    });
    docker('image', 'rm', 'stagec-e2e/esc:latest');
  });
});
