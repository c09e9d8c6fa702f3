import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '@stagec/core';
import { lint } from './helpers/dockerfile';

// Every complete example in docs/language.md (a yaml block starting with `version: 1`) compiles
// without errors to Dockerfiles that lint clean: the reference never shows a config that fails.
const text = readFileSync(join(__dirname, '..', 'docs', 'language.md'), 'utf8');
const examples = [...text.matchAll(/```yaml\n(version: 1\n[\s\S]*?)```/g)].map((m, i) => [i + 1, m[1]!] as const);

describe('docs/language.md examples', () => {
  it('has an example per language 1.1 rule', () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
  });
  it.each(examples)('example %i compiles and lints clean', (_i, yaml) => {
    const result = compile(yaml);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    for (const d of result.dockerfiles) expect(lint(d.text), d.path).toEqual([]);
  });
});

describe('the examples mean what the docs say', () => {
  const byHeading = (heading: string): string => examples.find(([i]) => text.indexOf(examples[i - 1]![1]) > text.indexOf(heading))![1];
  const files = (yaml: string) => Object.fromEntries(compile(yaml).dockerfiles.map((d) => [d.service, d.text]));
  it('null: the nginx runtime keeps no USER, WORKDIR or CMD of the node template, and no syntax line', () => {
    const site = files(byHeading('### `null` unsets'))['site']!;
    expect(site).not.toMatch(/^(USER|WORKDIR|CMD|# syntax)/m);
    expect(site).toContain('ENV NODE_ENV="production"');
    expect(site).not.toContain('NPM_CONFIG_LOGLEVEL');
  });
  it('vars: one template, two main packages', () => {
    const out = files(byHeading('### Vars'));
    expect(out['api']).toContain('go build -o /out/app ./cmd/api');
    expect(out['worker']).toContain('go build -o /out/app ./cmd/worker');
  });
  it('edit: the four edits and the append, in order', () => {
    const api = files(byHeading('### Step ids and `edit`'))['api']!;
    expect(api.split('\n').filter((l) => /^(COPY|RUN)/.test(l))).toEqual([
      'COPY vendor/ ./',
      'RUN go mod download',
      'RUN go build -tags netgo -o /out/app ./cmd/api',
      'RUN strip /out/app',
      'RUN /out/app --version',
    ]);
  });
});
