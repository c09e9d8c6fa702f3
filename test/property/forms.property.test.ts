import fc from 'fast-check';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { isMap, parseDocument, stringify, visit } from 'yaml';
import { compile } from '@stagec/core';
import { lint } from '../helpers/dockerfile';
import { docArb, dockerString, params, toYaml } from './generators';

/**
 * Language 1.1 forms over open-ended input: the text of copy.content and an interpreter's
 * script come back from an independent parser exactly as written (plus the final newline),
 * whatever quotes, backslashes, dollars or delimiter-like lines they hold; exec-form arguments
 * come back as the same list; global ARGs appear exactly where they are used.
 */
const LINE_CHARS = ['a', 'Z', ' ', '\t', '"', "'", '\\', '$', '#', '{', '}', '=', 'é', '日', 'E', 'O', 'F'];
const line = fc.oneof(
  fc.string({ unit: fc.constantFrom(...LINE_CHARS), maxLength: 12 }),
  fc.constantFrom('EOF', '  EOF', 'EOF1', '#', '\\', '$HOME', '${X:-y}'),
);
const text = fc.array(line, { minLength: 1, maxLength: 6 }).chain((lines) => fc.boolean().map((newline) => `${lines.join('\n')}${newline ? '\n' : ''}`));

const service = (steps: unknown[], extra: Record<string, unknown> = {}): string =>
  stringify({ version: 1, ...extra, services: { s: { path: 's', stages: { b: { from: 'alpine:3.20', steps } } } } });

/**
 * BuildKit's reading of a heredoc (frontend/dockerfile/parser): after the instruction's line,
 * raw lines up to the one equal to the delimiter, no continuation or escape processing.
 */
function buildkitBody(dockerfile: string, keyword: string): string {
  const lines = dockerfile.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${keyword} `) && l.includes('<<'));
  const delimiter = /<<"?([A-Za-z0-9]+)"?/.exec(lines[start]!)![1]!;
  const end = lines.indexOf(delimiter, start + 1);
  return lines.slice(start + 1, end).map((l) => `${l}\n`).join('');
}

/**
 * dockerfile-ast's reading, the independent parser. It reads a backslash in a heredoc body as
 * an escape or a line continuation (BuildKit reads the body raw) and then misplaces the body,
 * so it judges only texts without one; buildkitBody judges all.
 */
function body(dockerfile: string, instruction: Instruction): string {
  const [doc] = (instruction as unknown as { getHeredocs(): { getContentRange(): { start: { line: number }; end: { line: number } } | null }[] }).getHeredocs();
  const range = doc!.getContentRange();
  if (!range) return '\n';
  return `${dockerfile.split('\n').slice(range.start.line, range.end.line + 1).join('\n')}\n`;
}

/** The first instruction of stage b with this keyword. */
const first = (dockerfile: string, keyword: string): Instruction => DockerfileParser.parse(dockerfile).getInstructions().find((i) => i.getKeyword() === keyword)!;

/** What the file holds: the text, a missing final newline added; blank trailing lines kept. */
const expected = (t: string): string => (t.endsWith('\n') ? t : `${t}\n`);

describe('language 1.1 forms, properties', () => {
  it('copy.content: the parser reads back the text as written, quoted when it holds $ or \\', () => {
    fc.assert(
      fc.property(text, (t) => {
        const result = compile(service([{ copy: { content: t, dest: '/etc/x.conf' } }]));
        expect(result.diagnostics).toEqual([]);
        const out = result.dockerfiles[0]!.text;
        const copy = first(out, 'COPY');
        expect(buildkitBody(out, 'COPY')).toBe(t === '' ? '' : expected(t));
        if (!t.includes('\\') && t !== '') expect(body(out, copy)).toBe(expected(t));
        expect(copy.getArgumentsContent()!.startsWith('<<"')).toBe(/[$\\]/.test(t));
        expect(lint(out)).toEqual([]);
      }),
      params(200),
    );
  });

  it('run.interpreter: the script is the commands, one per line', () => {
    const command = fc.string({ unit: fc.constantFrom(...LINE_CHARS.filter((c) => c !== '\t')), minLength: 1, maxLength: 12 }).filter((c) => c.trim() !== '');
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 4 }), (commands) => {
        const result = compile(service([{ run: { interpreter: 'bash -e', commands } }]));
        expect(result.diagnostics).toEqual([]);
        const out = result.dockerfiles[0]!.text;
        expect(buildkitBody(out, 'RUN')).toBe(`${commands.join('\n')}\n`);
        if (!commands.some((c) => c.includes('\\'))) expect(body(out, first(out, 'RUN'))).toBe(`${commands.join('\n')}\n`);
      }),
      params(200),
    );
  });

  it('run.exec: the arguments come back as the same list', () => {
    fc.assert(
      fc.property(fc.array(dockerString, { minLength: 1, maxLength: 5 }), (exec) => {
        const result = compile(service([{ run: { exec, cache: ['/c'] } }]));
        expect(result.failed).toBe(false);
        const out = result.dockerfiles[0]!.text;
        expect(JSON.parse(first(out, 'RUN').getArgumentsContent()!)).toEqual(exec);
      }),
      params(200),
    );
  });

  it('global ARGs: emitted exactly when a FROM line, a stage or the service uses them', () => {
    const names = ['A1', 'B2', 'C3', 'D4'] as const;
    fc.assert(
      fc.property(fc.subarray([...names]), fc.subarray([...names]), fc.subarray([...names]), (inFrom, inRun, named) => {
        const yaml = stringify({
          version: 1,
          args: Object.fromEntries(names.map((n) => [n, 'v'])),
          services: {
            s: {
              path: 's',
              ...(named.length ? { args: Object.fromEntries(named.map((n) => [n, 'w'])) } : {}),
              stages: { b: { from: `alpine${inFrom.map((n) => `-\${${n}}`).join('')}`, steps: [{ run: `echo ${inRun.map((n) => `$${n}`).join(' ')}.` }] } },
            },
          },
        });
        const result = compile(yaml);
        const globals = result.dockerfiles[0]!.text.split('\nFROM ')[0]!.split('\n').filter((l) => l.startsWith('ARG '));
        const used = names.filter((n) => inFrom.includes(n) || inRun.includes(n) || named.includes(n));
        expect(globals.map((l) => l.slice(4).split('=')[0])).toEqual(used);
      }),
      params(100),
    );
  });
});

describe('x- keys, properties', () => {
  /** Every mapping where DESIGN 10 ignores x- keys: the top level, defaults, stages, pipelines, services and their stages. */
  const IGNORED_AT = (path: readonly unknown[]): boolean => {
    const keys = path.filter((p): p is { key: { value: unknown } } => typeof p === 'object' && p !== null && 'key' in p).map((p) => String(p.key.value));
    if (keys.length === 0) return true;
    if (keys.length === 1) return keys[0] === 'defaults';
    if (keys.length === 2) return ['stages', 'pipelines', 'services'].includes(keys[0]!);
    return keys.length === 4 && ['pipelines', 'services'].includes(keys[0]!) && keys[2] === 'stages';
  };

  it('an x- key with any value, in any mapping that ignores them, changes no output', () => {
    const value = fc.oneof(dockerString, fc.integer(), fc.constant(null), fc.dictionary(fc.constantFrom('a', 'b'), dockerString, { maxKeys: 2 }), fc.array(dockerString, { maxLength: 2 }));
    fc.assert(
      fc.property(docArb, fc.nat(), value, (doc, pick, extra) => {
        const text = toYaml(doc);
        const parsed = parseDocument(text);
        const maps: { items: unknown[] }[] = [];
        visit(parsed, { Map(_key, node, path) { if (isMap(node) && IGNORED_AT(path)) maps.push(node); } });
        const target = maps[pick % maps.length]!;
        target.items.push(parsed.createPair('x-extra', extra));
        const before = compile(text);
        const after = compile(parsed.toString());
        expect(after.diagnostics.map((d) => d.code)).toEqual(before.diagnostics.map((d) => d.code));
        expect(after.dockerfiles.map((d) => d.text)).toEqual(before.dockerfiles.map((d) => d.text));
      }),
      params(50),
    );
  });
});
