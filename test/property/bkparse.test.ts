import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { outcome } from './fidelity/check';
import { FIELDS, insert, PAYLOADS, type Field, type Place } from './fidelity/fields';
import { unescapeWord, unquote } from './fidelity/judge';
import { FUZZ } from './generators';

// The fidelity property judged by BuildKit's own parser (moby/buildkit frontend/dockerfile/parser),
// where a build of it is at hand: STAGEC_BKPARSE, or the shared tool's bin/ near the repo, or
// $TMPDIR/bkparse-bin. It is never part of stagec and never required: without it this skips.
const CANDIDATES = [
  process.env.STAGEC_BKPARSE,
  // ../shared next to a clone, or next to the folder of worktrees that holds it.
  join(__dirname, '../../../shared/tools/bkparse/bin/bkparse'),
  join(__dirname, '../../../../shared/tools/bkparse/bin/bkparse'),
  join(tmpdir(), 'bkparse-bin/bkparse'),
].filter((p): p is string => Boolean(p));
const BKPARSE = CANDIDATES.find((p) => existsSync(p));

interface Node {
  cmd: string;
  flags: string[];
  args: string[];
  heredocs: string[];
}

const dir = BKPARSE ? mkdtempSync(join(tmpdir(), 'stagec-bkparse-')) : '';
afterAll(() => void (dir && rmSync(dir, { recursive: true, force: true })));

type Raw = { line: number; cmd: string; flags?: string[]; args?: string[]; heredocs?: string[] };

function run(text: string): { error?: string; nodes: Raw[] } {
  const file = join(dir, 'Dockerfile');
  writeFileSync(file, text);
  const r = spawnSync(BKPARSE!, [file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const error = /^PARSE ERROR.*$/m.exec(r.stdout)?.[0];
  const nodes = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Raw);
  return error ? { error, nodes } : { nodes };
}

const toNode = (n: Raw): Node => {
  const cmd = n.cmd.toUpperCase();
  // Quoted words are the builder's to unquote in ENV / ARG / LABEL / WORKDIR; COPY / ADD /
  // VOLUME words are escaped for its lexer; shell-form text is the shell's, compared raw.
  const read = ['COPY', 'ADD', 'VOLUME'].includes(cmd) ? unescapeWord : ['ENV', 'ARG', 'LABEL', 'WORKDIR'].includes(cmd) ? decode : (a: string) => a;
  return { cmd, flags: n.flags ?? [], args: (n.args ?? []).map(read), heredocs: n.heredocs ?? [] };
};

/**
 * Many Dockerfiles in one run of the parser (one process per file would take most of the
 * test's time): concatenated, each instruction mapped back to its file by its line. A parse
 * error anywhere re-runs the files one by one to name the one that fails.
 */
function bkparseAll(texts: readonly string[], labels: readonly string[]): Node[][] {
  const starts: number[] = [];
  let line = 1;
  for (const t of texts) {
    starts.push(line);
    line += t.split('\n').length - 1;
  }
  const all = run(texts.join(''));
  if (all.error) {
    texts.forEach((t, i) => expect(run(t).error, `BuildKit cannot parse it: ${labels[i]}\n${t}`).toBeUndefined());
  }
  const out: Node[][] = texts.map(() => []);
  for (const n of all.nodes) {
    let i = starts.length - 1;
    while (starts[i]! > n.line) i--;
    out[i]!.push(toNode(n));
  }
  return out;
}

/** A word as the builder will read it: `"..."` or `KEY="..."` (ARG keeps the pair as one word) unquoted. */
const decode = (arg: string): string => {
  const pair = /^([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*")$/s.exec(arg);
  return pair ? `${pair[1]}=${unquote(pair[2]!)}` : unquote(arg);
};

const swap = (s: string, plain: string, value: string): string => s.split(plain).join(value);

function judge(field: Field, value: string, got: Node[], plainNodes: Node[]): void {
  const label = `${field.name} ${JSON.stringify(value)}`;
  const meant = field.shell ? value.replace(/\n+$/, '').trim() : value;
  const heredocs = got.flatMap((n) => n.heredocs);
  if (heredocs.length > 0) {
    // A multi-line run: BuildKit's heredoc holds the command exactly, and nothing else changed.
    expect(heredocs.map((h) => h.slice(h.indexOf(":") + 1)), label).toEqual([`${value.replace(/\n+$/, "")}\n`]);
    expect(got.map((n) => n.cmd), label).toEqual(plainNodes.map((n) => n.cmd));
    return;
  }
  const expected = plainNodes.map((n) => ({
    cmd: n.cmd,
    flags: n.flags.map((f) => swap(f, field.plain, meant)),
    args: n.args.map((a) => swap(a, field.plain, meant)),
    heredocs: [],
  }));
  expect(got, label).toEqual(expected);
}

describe.skipIf(!BKPARSE)("property: BuildKit's own parser reads every accepted value as meant", () => {
  it('every field x every payload, one place each (rotating; all four with STAGEC_FUZZ=1)', () => {
    const places: Place[] = ['suffix', 'middle', 'prefix', 'whole'];
    const cases: { field: Field; value: string; text: string; plain: string }[] = [];
    // Under STAGEC_FUZZ=1, also random combinations of several payloads in one value.
    if (FUZZ) {
      const combos = fc.sample(fc.tuple(fc.constantFrom(...FIELDS), fc.array(fc.tuple(fc.constantFrom(...PAYLOADS), fc.constantFrom(...places)), { minLength: 2, maxLength: 4 })), 3000);
      for (const [field, inserts] of combos) {
        const value = inserts.reduce((v, [p, place]) => insert(v, p, place), field.plain);
        if (!value.includes(field.plain)) continue;
        const o = outcome(field, value);
        if (!o.refused) cases.push({ field, value, text: o.text!, plain: outcome(field, field.plain).text! });
      }
    }
    for (const [f, field] of FIELDS.entries()) {
      const plain = outcome(field, field.plain).text!;
      for (const [p, payload] of PAYLOADS.entries()) {
        for (const place of FUZZ ? places : [places[(f + p) % places.length]!]) {
          const value = insert(field.plain, payload, place);
          const o = outcome(field, value);
          if (!o.refused) cases.push({ field, value, text: o.text!, plain });
        }
      }
    }
    const read = bkparseAll(
      cases.flatMap((c) => [c.plain, c.text]),
      cases.flatMap((c) => [`${c.field.name} (plain)`, `${c.field.name} ${JSON.stringify(c.value)}`]),
    );
    cases.forEach((c, i) => judge(c.field, c.value, read[2 * i + 1]!, read[2 * i]!));
    expect(cases.length).toBeGreaterThan(500);
  });
});

if (!BKPARSE) {
  it.skip(`BuildKit parser judge: no bkparse build found (${CANDIDATES.join(', ')}); build it with ../shared/tools/bkparse/build.sh`, () => {});
}
