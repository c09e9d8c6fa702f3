import { expect } from 'vitest';
import { compile } from '@stagec/core';
import { lint } from '../helpers/dockerfile';

/** Compiles a generated document that must be accepted; asserts it lints clean (dockerfile-utils) and a second run is byte-identical. */
export function compileStable(text: string): string {
  const result = compile(text);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const dockerfile = result.dockerfiles[0]!.text;
  expect(lint(dockerfile)).toEqual([]);
  expect(compile(text).dockerfiles[0]!.text).toBe(dockerfile);
  return dockerfile;
}

/** One stage's ENV / LABEL / ARG lines as key and the raw text between the quotes (null: no value). */
export function readBack(text: string, stage: string, keyword: 'ENV' | 'LABEL' | 'ARG'): [string, string | null][] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.endsWith(` AS ${stage}`));
  const pattern = new RegExp(`^${keyword} ([A-Za-z_][\\w.-]*)(?:="(.*)")?$`);
  const out: [string, string | null][] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('FROM ') || line === '') break;
    const m = pattern.exec(line);
    if (m) out.push([m[1]!, m[2] ?? null]);
  }
  return out;
}

/**
 * Docker's reading of a double-quoted value: `\"` is `"`, `\\` is `\`; `\$` stays the escaped
 * dollar it denotes, a bare `$` a variable reference.
 */
export const unquote = (raw: string | null): string | null => (raw === null ? null : raw.replace(/\\(["\\])/g, '$1'));
