import { expect } from 'vitest';
import { stringify } from 'yaml';
import { compile, load } from '@stagec/core';
import type { Field } from './fields';
import { lint } from '../../helpers/dockerfile';
import { cutHeredocs, readDockerfile, substituted } from './judge';

export interface Outcome {
  refused: boolean;
  /** For an accepted value: the Dockerfile text. */
  text?: string;
}

export function outcome(field: Field, value: string): Outcome {
  const yaml = stringify(field.doc(value));
  const result = compile(yaml);
  if (!result.failed) return { refused: false, text: result.dockerfiles[0]!.text };
  const { source } = load(yaml, 'stages.yaml');
  const at = source.position(field.key ? [...field.path, value] : field.path, { key: field.key ?? false });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  // Refused at the value: an error whose range starts where the value (or its key) is written.
  const here = errors.filter((d) => d.line === at.line && d.column === at.column);
  expect(here.length, `${field.name} ${JSON.stringify(value)}: errors elsewhere ${JSON.stringify(errors.map((d) => [d.code, d.line, d.column]))}, value at ${at.line}:${at.column}`).toBeGreaterThan(0);
  return { refused: true };
}

export function judgeAccepted(field: Field, value: string, text: string, plainText: string): void {
  const label = `${field.name} ${JSON.stringify(value)}`;
  // dockerfile-utils lints it clean too, except where a value is a variable it cannot expand,
  // or holds `<<` or `--`, which it reads as a heredoc or a flag even inside a JSON string, or
  // is a multi-line run (it does not read heredoc bodies).
  if (!/\$|<<|--|\n/.test(value)) expect(lint(text), label).toEqual([]);
  const got = cutHeredocs(text);
  const want = cutHeredocs(plainText);
  if (got.bodies.length > want.bodies.length) {
    // A multi-line run became a heredoc: the body is the command as written, the rest unchanged.
    expect(got.bodies, label).toContain(value.replace(/\n+$/, ''));
    const plainRun = readDockerfile(want.text).filter((r) => !r.args.some((a) => a.includes(field.plain)));
    const rest = readDockerfile(got.text).filter((r) => !(r.keyword === 'RUN' && r.args.some((a) => a.endsWith('HEREDOC'))));
    expect(rest.map((r) => r.keyword), label).toEqual(plainRun.map((r) => r.keyword));
    return;
  }
  const meant = field.shell ? value.replace(/\n+$/, '').trim() : value;
  const expected = substituted(readDockerfile(want.text), field.plain, meant);
  const actual = readDockerfile(got.text);
  // The header comment holds no value; descriptions are comments, compared as text below.
  expect(actual, label).toEqual(expected);
  if (field.name === 'description') {
    // The comment block right above FROM, each line `# text` (or `#` for an empty line).
    const lines = text.split('\n');
    const from = lines.findIndex((l) => l.startsWith('FROM '));
    let start = from;
    while (start > 0 && lines[start - 1]!.startsWith('#')) start--;
    const comments = lines.slice(start, from).map((l) => l.replace(/^# ?/, ''));
    expect(comments.join('\n'), label).toBe(value.trimEnd().split('\n').map((l) => l.trimEnd()).join('\n'));
  }
}

