import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stagec, workspace } from './harness';

// `explain <service> <stage>` keeps the lines the emitter gave that stage: its description
// comment, and a heredoc whose body has a blank line, come out whole.
const CONFIG = `version: 1
defaults:
  syntax: docker/dockerfile:1.7
services:
  api:
    path: apps/api
    target: runtime
    stages:
      build:
        description: |
          Compiles the app.
          Second line.
        from: debian:bookworm-slim
        steps:
          - run: |
              echo one

              echo two
          - run: echo three
      runtime:
        description: The image that ships.
        from: build
        cmd: [bash]
`;

interface Row {
  text: string;
  line?: number;
}

async function explain(root: string, ...args: string[]): Promise<Row[]> {
  const result = await stagec(root, 'explain', 'api', ...args, '--json');
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Row[];
}

describe('stagec explain <service> <stage>', () => {
  it("prints the stage's description, FROM, the whole heredoc (blank line too) and the steps after it", async () => {
    const root = workspace({ 'stages.yaml': CONFIG });
    expect((await explain(root, 'build')).map((r) => r.text)).toEqual([
      '# Compiles the app.',
      '# Second line.',
      'FROM debian:bookworm-slim AS build',
      'RUN <<EOF',
      'echo one',
      '',
      'echo two',
      'EOF',
      'RUN echo three',
    ]);
    expect((await explain(root, 'runtime')).map((r) => r.text)).toEqual([
      '# The image that ships.',
      'FROM build AS runtime',
      'CMD ["bash"]',
    ]);
  });

  it('the stages together are every line of the Dockerfile but the header and the blank lines between stages', async () => {
    const root = workspace({ 'stages.yaml': CONFIG });
    expect((await stagec(root, 'compile')).code).toBe(0);
    const file = readFileSync(join(root, 'apps/api/Dockerfile'), 'utf8').trimEnd().split('\n');
    const stages = [...(await explain(root, 'build')), ...(await explain(root, 'runtime'))].map((r) => r.text);
    // From the first stage on, only the blank line that separates the two stages belongs to none.
    const fromFirstStage = file.slice(file.indexOf('# Compiles the app.'));
    const separator = fromFirstStage.indexOf('# The image that ships.') - 1;
    expect(fromFirstStage[separator]).toBe('');
    expect(fromFirstStage.filter((_, i) => i !== separator)).toEqual(stages);
  });

  it('an unknown stage is a usage error (exit 2) that names the stages', async () => {
    const result = await stagec(workspace({ 'stages.yaml': CONFIG }), 'explain', 'api', 'runtim');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });
});
