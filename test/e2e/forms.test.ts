import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { docker, stagec } from './engine';

// Language 1.1 forms that Engine 20.10's built-in frontend builds (DESIGN 10), judged by the
// real engine: exec-form RUN, cache mounts with uid/gid/mode/sharing, secret mounts with
// mode/uid/gid, an ssh mount with required/mode, and a VOLUME step. What 20.10 cannot build
// (heredocs, tmpfs size, security, --link, --checksum, --keep-git-dir, secret env) is judged by
// the parser in test/lang-forms.test.ts and test/property/forms.property.test.ts.
const IMAGE = 'lang-forms-e2e/forms';
const stat = (path: string, out: string): string => `stat -c '%u %g %a' ${path} > ${out}`;

describe('language 1.1 forms, built by the real engine', () => {
  it('builds exec RUN, cache/secret/ssh mount options and a VOLUME step as written', () => {
    const root = mkdtempSync(join(tmpdir(), 'stagec-e2e-forms-'));
    const secret = join(root, 'token.txt');
    writeFileSync(secret, 's3cr3t-value');
    // The docker CLI loads a private key file into its own agent for --ssh (no ssh-agent needed).
    const key = join(root, 'id_rsa');
    writeFileSync(key, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
    const stage = {
      from: 'debian:bookworm-slim',
      workdir: '/out',
      steps: [
        { run: { exec: ['touch', '/out/exec-ran'] } },
        { run: { exec: ['sh', '-c', 'echo "$0 $1" > /out/exec-args', 'a b', '$HOME'] } },
        {
          run: {
            command: `${stat('/cache', '/out/cache-stat')} && touch /cache/seen`,
            cache: [{ target: '/cache', id: 'lang-forms-e2e', sharing: 'locked', mode: '0750', uid: 1234, gid: 2345 }],
          },
        },
        {
          run: {
            command: `${stat('/run/secrets/token', '/out/secret-stat')} && wc -c < /run/secrets/token > /out/secret-size`,
            secrets: [{ id: 'token', required: true, mode: '0440', uid: 1234, gid: 2345 }],
          },
        },
        {
          run: {
            command: `${stat('"$SSH_AUTH_SOCK"', '/out/ssh-stat')}`,
            mounts: [{ type: 'ssh', required: true, mode: '0660', uid: 1234, gid: 2345 }],
          },
        },
        { volume: ['/data'] },
      ],
    };
    writeFileSync(join(root, 'stages.yaml'), stringify({ version: 1, services: { forms: { path: 'forms', image: IMAGE, stages: { check: stage } } } }));
    const built = stagec(root, 'build', 'forms', '--compile', '--', '--secret', `id=token,src=${secret}`, '--ssh', `default=${key}`);
    expect(built.status, built.stderr.slice(-3000)).toBe(0);
    const dockerfile = readFileSync(join(root, 'forms', 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('RUN ["touch", "/out/exec-ran"]');
    expect(dockerfile).toContain('--mount=type=ssh,required=true,mode=0660,uid=1234,gid=2345');

    const read = (file: string): string => {
      const r = docker('run', '--rm', IMAGE, 'cat', file);
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.trim();
    };
    try {
      expect(read('/out/exec-ran')).toBe('');
      expect(read('/out/exec-args')).toBe('a b $HOME'); // exec form: no shell of Docker's, nothing expanded
      expect(read('/out/cache-stat')).toBe('1234 2345 750');
      expect(read('/out/secret-stat')).toBe('1234 2345 440');
      expect(read('/out/secret-size')).toBe(String('s3cr3t-value'.length));
      expect(read('/out/ssh-stat')).toBe('1234 2345 660');
      const volumes = JSON.parse(docker('image', 'inspect', '-f', '{{json .Config.Volumes}}', `${IMAGE}:latest`).stdout) as Record<string, unknown>;
      expect(Object.keys(volumes)).toEqual(['/data']);
      // A required secret that is not given fails the build, as `required: true` says.
      const missing = stagec(root, 'build', 'forms', '--', '--no-cache', '--ssh', `default=${key}`);
      expect(missing.status).not.toBe(0);
      expect(missing.stderr).toMatch(/secret token( not found|: not found| is required)?/i);
    } finally {
      docker('image', 'rm', '-f', `${IMAGE}:latest`);
    }
  });
});
