import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { compile, planBuilds } from '@stagec/core';
import { compileFixture, FIXTURES } from './helpers/fixtures';

// Language 1.1 forms (DESIGN 10), judged by an independent parser (dockerfile-ast) where
// Engine 20.10 cannot build them, and by the plan they produce.

interface Heredocs {
  getHeredocs(): { getName(): string; getContentRange(): { start: { line: number; character: number }; end: { line: number; character: number } } | null }[];
}

/** The body of an instruction's first heredoc, as the parser delimits it. */
function heredocBody(text: string, instruction: Instruction): { name: string; body: string } {
  const [doc] = (instruction as unknown as Heredocs).getHeredocs();
  const range = doc!.getContentRange()!;
  const lines = text.split('\n').slice(range.start.line, range.end.line + 1);
  return { name: doc!.getName(), body: `${lines.join('\n')}\n` };
}

const dockerfile = (result: ReturnType<typeof compile>, service: string): string => result.dockerfiles.find((d) => d.service === service)!.text;

describe('language 1.1 forms read back by dockerfile-ast', () => {
  const result = compileFixture(join(FIXTURES, 'compile', 'forms'));
  const text = dockerfile(result, 'forms');
  const instructions = DockerfileParser.parse(text).getInstructions();
  const of = (keyword: string) => instructions.filter((i) => i.getKeyword() === keyword);

  it('exec-form RUN is a JSON array, its mounts flags', () => {
    const [, restore, build] = of('RUN'); // the first is the deps stage's
    expect(JSON.parse(restore!.getArgumentsContent()!)).toEqual(['dotnet', 'restore']);
    expect(JSON.parse(build!.getArgumentsContent()!)).toEqual(['dotnet', 'build', '-c', 'Release']);
    expect((build as unknown as { getFlags(): { getName(): string }[] }).getFlags().map((f) => f.getName())).toEqual(['mount']);
  });

  it('an interpreter gets a heredoc script, one line per command', () => {
    const scripts = of('RUN').filter((i) => i.getArgumentsContent()!.startsWith('<<'));
    expect(scripts.map((i) => heredocBody(text, i).body)).toEqual(['for f in *.csproj; do\n  echo "$f"\ndone\n', 'print("hello")\n', 'echo one\necho two\n']);
    expect(scripts.map((i) => i.getArgumentsContent()!.split('\n')[0])).toEqual(['<<"EOF" bash -e', '<<EOF python3', '<<EOF sh -eu']);
  });

  it('copy.content is the file as written, a final newline added, the delimiter quoted when it holds $ or \\', () => {
    const copies = of('COPY').filter((i) => i.getArgumentsContent()!.startsWith('<<'));
    expect(copies.map((i) => heredocBody(text, i).body)).toEqual(['listen 8080\nroot /srv\n', 'export PATH="$HOME/bin:$PATH"\necho a\\tb\n', 'no final newline\n']);
    expect(copies.map((i) => i.getArgumentsContent()!.split('\n')[0])).toEqual(['<<EOF /etc/app.conf', '<<"EOF" /etc/profile.d/app.sh', '<<EOF /etc/motd']);
  });

  it('VOLUME at its step, ONBUILD after the steps, every trigger an instruction', () => {
    expect(of('VOLUME').map((i) => i.getArgumentsContent())).toEqual(['["/data"]']);
    const triggers = of('ONBUILD').map((i) => (i as unknown as { getTriggerInstruction(): Instruction }).getTriggerInstruction().getKeyword());
    expect(triggers).toEqual(['COPY', 'RUN', 'RUN']);
    expect(instructions.at(-1)!.getKeyword()).toBe('ONBUILD');
  });

  it('the newer frontend options parse as flags', () => {
    const newer = DockerfileParser.parse(dockerfile(result, 'newer')).getInstructions();
    const flags = newer.map((i) => ((i as unknown as { getFlags?(): { getName(): string; getValue(): string | null }[] }).getFlags?.() ?? []).map((f) => `${f.getName()}=${f.getValue()}`));
    expect(flags.flat()).toEqual(['keep-git-dir=true', 'security=insecure', 'mount=type=tmpfs,target=/tmp,size=67108864', 'security=sandbox']);
  });
});

describe('a delimiter no body line equals', () => {
  it('picks EOF1 when a line of the text is EOF, even indented', () => {
    const yaml = 'version: 1\nservices:\n  s:\n    path: s\n    stages:\n      b:\n        from: alpine\n        steps:\n          - copy: { content: "a\\n  EOF \\nb\\n", dest: /x }\n';
    const text = compile(yaml).dockerfiles[0]!.text;
    expect(text).toContain('COPY <<EOF1 /x\na\n  EOF \nb\nEOF1\n');
  });
});

describe('the destination of copy.content (found in QA)', () => {
  // A heredoc COPY has no JSON form: `COPY <<EOF ["/x\\\\"]` made BuildKit write a file named `["/x\\"]`.
  it.each(['/x\\', '/etc/a\\b', '/x<<EOF', '[x]'])('refuses %j at its position instead of writing a JSON form', (dest) => {
    const yaml = `version: 1\nservices:\n  s:\n    path: s\n    stages:\n      b:\n        from: alpine\n        steps:\n          - copy: { content: x, dest: ${JSON.stringify(dest)} }\n`;
    const result = compile(yaml);
    expect(result.failed).toBe(true);
    expect(result.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['INVALID_VALUE', 9, 39]]);
  });
});

describe('onbuild and --from (found in QA)', () => {
  // A trigger runs in the downstream build: `ONBUILD COPY --from=build` named *its* stage "build".
  const yaml = (step: string) =>
    `version: 1\nservices:\n  s:\n    path: s\n    stages:\n      build:\n        from: alpine\n      main:\n        from: alpine\n        onbuild:\n          - ${step}\n`;

  it('refuses a stage of this Dockerfile in copy.from and in a mount, at the step', () => {
    expect(compile(yaml('copy: { from: build, src: /x, dest: /y }')).diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['INVALID_VALUE', 11, 27]]);
    expect(compile(yaml('run: { command: make, cache: [{ target: /c, from: build }] }')).diagnostics.map((d) => [d.code, d.line])).toEqual([['INVALID_VALUE', 11]]);
  });

  it('keeps an image', () => {
    const result = compile(yaml('copy: { from: { image: "alpine:3.20" }, src: /x, dest: /y }'));
    expect(result.diagnostics).toEqual([]);
    expect(result.dockerfiles[0]!.text).toContain('ONBUILD COPY --from=alpine:3.20 /x /y\n');
  });
});

describe('x- keys', () => {
  it('compile to exactly what the file compiles to without them', () => {
    const withX = readFileSync(join(FIXTURES, 'compile', 'header-args', 'stages.yaml'), 'utf8');
    const withoutX = withX
      .split('\n')
      .filter((l) => !/^\s*x-[\w-]+:/.test(l) && !/^\s+user: &nonroot/.test(l))
      .join('\n')
      .replace('*nonroot', '"65532"');
    const a = compile(withX);
    const b = compile(withoutX);
    expect(a.failed).toBe(false);
    expect(a.dockerfiles.map((d) => d.text)).toEqual(b.dockerfiles.map((d) => d.text));
  });

  it('hold YAML anchors that stages merge with <<, as DESIGN 10 shows', () => {
    const withAnchor = 'version: 1\nx-anchors:\n  base: &base\n    user: "65534"\n    workdir: /app\nservices:\n  s:\n    path: s\n    stages:\n      runtime:\n        <<: *base\n        from: alpine\n';
    const explicit = 'version: 1\nservices:\n  s:\n    path: s\n    stages:\n      runtime:\n        user: "65534"\n        workdir: /app\n        from: alpine\n';
    const a = compile(withAnchor);
    expect(a.diagnostics).toEqual([]);
    expect(a.dockerfiles[0]!.text).toBe(compile(explicit).dockerfiles[0]!.text);
  });

  it('are unknown keys elsewhere (a step, a mount)', () => {
    const yaml = 'version: 1\nservices:\n  s:\n    path: s\n    stages:\n      b:\n        from: alpine\n        steps:\n          - run: { command: make, x-note: n }\n';
    expect(compile(yaml).diagnostics.map((d) => d.code)).toEqual(['UNKNOWN_KEY']);
  });
});

describe('RUN --security=insecure in plan and build', () => {
  const yaml = `version: 1
services:
  s:
    path: s
    syntax: docker/dockerfile:1.20
    stages:
      tools: { from: alpine, steps: [{ run: { command: mount -t tmpfs none /mnt, security: insecure } }] }
      build: { from: alpine, steps: [{ copy: { from: tools, src: /bin/x, dest: /x } }] }
      other: { from: alpine }
`;
  const project = compile(yaml).project!;
  it('passes --allow security.insecure to docker and buildx for targets whose stages use it', () => {
    for (const engine of ['docker', 'buildx'] as const) {
      const [build] = planBuilds(project, { engine, target: 'build' }).builds;
      expect(build!.argv.join(' ')).toContain('--allow security.insecure');
    }
    expect(planBuilds(project, { target: 'other' }).builds[0]!.argv).not.toContain('--allow');
  });
  it('is an error for podman and buildah, saying what to use', () => {
    for (const engine of ['podman', 'buildah'] as const) {
      expect(planBuilds(project, { engine, target: 'build' }).errors).toEqual([expect.stringMatching(/s:build .*--engine buildx or docker/)]);
      expect(planBuilds(project, { engine, target: 'other' }).errors).toEqual([]);
    }
  });
});

describe('warnings of the new forms', () => {
  it('a relative WORKDIR warns only without an absolute one before it in the chain', () => {
    const result = compileFixture(join(FIXTURES, 'compile', 'relative-workdir'));
    expect(result.diagnostics.map((d) => [d.code, d.severity, d.line])).toEqual([['RELATIVE_WORKDIR', 'warning', 17]]);
  });
});

describe('several services on one path', () => {
  const result = compileFixture(join(FIXTURES, 'compile', 'shared-path'));
  it('compile writes one Dockerfile each, plan builds each from the shared folder, dependencies first', () => {
    expect(result.dockerfiles.map((d) => d.path).sort()).toEqual(['apps/api/Dockerfile', 'apps/api/Dockerfile.debug', 'apps/api/genproto.Dockerfile']);
    const plan = planBuilds(result.project!, { services: ['api-debug'] });
    expect(plan.builds.map((b) => [b.id, b.dockerfile, b.context])).toEqual([
      ['genproto:gen', 'apps/api/genproto.Dockerfile', 'apps/api'],
      ['api:build', 'apps/api/Dockerfile', 'apps/api'],
      ['api-debug:debug', 'apps/api/Dockerfile.debug', 'apps/api'],
    ]);
  });
});

describe('onbuild through config inheritance', () => {
  it('is inherited from a template and removed by null, like any replaced field', () => {
    const yaml = 'version: 1\nstages:\n  t: { from: alpine, onbuild: [{ run: make }] }\nservices:\n  s:\n    path: s\n    stages:\n      b: { extends: t, onbuild: null }\n      c: { extends: t }\n';
    const text = compile(yaml).dockerfiles[0]!.text;
    expect(text.split('\n').filter((l) => l.startsWith('ONBUILD'))).toEqual(['ONBUILD RUN make']);
    expect(text).toMatch(/FROM alpine AS c\nONBUILD RUN make\n$/);
  });
});
