import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '@stagec/core';
import { compareDockerfiles } from '../../packages/cli/src/import/compare';
import { importDockerfiles } from '../../packages/cli/src/import/importer';
import { parseStages } from '../helpers/dockerfile';
import { params } from './generators';

// Generated monorepos of hand-written-looking Dockerfiles: whatever they hold, `import` never
// throws, refuses only with a position in the file, and every file it keeps compiles back from
// the written stages.yaml to what the original says (judged again here, from the YAML text).

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
const path = fc.array(word, { minLength: 1, maxLength: 3 }).map((p) => `/${p.join('/')}`);
const value = fc.oneof(word, fc.constantFrom('two words', 'a"quote', 'back\\slash', '$HOME/x', '${VERSION}', 'ünï', '8080'));
const keyword = (k: string) => fc.constantFrom(k, k.toLowerCase());

/** One instruction of a stage body, in the spellings people write. */
const instruction = fc.oneof(
  fc.tuple(keyword('RUN'), word, word).map(([k, a, b]) => `${k} echo ${a} && \\\n    echo ${b}`),
  fc.tuple(word, path).map(([a, p]) => `RUN --mount=type=cache,target=${p} echo ${a}`),
  fc.tuple(word).map(([a]) => `RUN ["echo", "${a} x"]`),
  fc.tuple(word, path).map(([a, p]) => `COPY ${a} ${p}/`),
  fc.tuple(word, path).map(([a, p]) => `COPY --chown=1000:1000 ["${a}", "${p}"]`),
  fc.tuple(keyword('ENV'), word, value).map(([k, a, v]) => `${k} ${a.toUpperCase()}=${JSON.stringify(v)}`),
  fc.tuple(word, value).map(([a, v]) => `ARG ${a.toUpperCase()}=${JSON.stringify(v)}`),
  path.map((p) => `WORKDIR ${p}`),
  word.map((u) => `USER ${u}`),
  fc.integer({ min: 1, max: 65535 }).map((p) => `EXPOSE ${p}`),
  fc.tuple(word, value).map(([a, v]) => `LABEL ${a}=${JSON.stringify(v)}`),
  fc.tuple(word).map(([a]) => `CMD ["${a}", "--flag"]`),
  fc.tuple(word).map(([a]) => `ENTRYPOINT ${a} serve`),
  path.map((p) => `VOLUME ${p}`),
  fc.constant('HEALTHCHECK --interval=5s CMD true'),
  fc.constant('# a comment'),
  fc.constant('MAINTAINER someone'),
  fc.tuple(word, word).map(([a, b]) => `RUN <<EOF\necho ${a}\necho ${b}\nEOF`),
  word.map((a) => `RUN <<EOT\necho ${a}\nEOT`),
  fc.tuple(word, path).map(([a, p]) => `COPY <<'EOF' ${p}\nkey = $${a}\nEOF`),
  fc.tuple(word, path).map(([a, p]) => `COPY <<EOF ${p}\n${a}\nEOF`),
);

const stage = fc.record({
  name: fc.option(word, { nil: undefined }),
  base: fc.constantFrom('debian:bookworm-slim', 'alpine:3.20', 'golang:1.22', 'node:20-slim'),
  body: fc.array(instruction, { maxLength: 6 }),
});

const dockerfile = fc.record({ globals: fc.option(word, { nil: undefined }), stages: fc.array(stage, { minLength: 1, maxLength: 3 }) }).map(({ globals, stages }) => {
  const lines: string[] = [];
  if (globals) lines.push(`ARG ${globals.toUpperCase()}=1`, 'ARG BASE=debian:bookworm-slim');
  const names = new Set<string>();
  stages.forEach((s, i) => {
    const name = s.name && !names.has(s.name) && !['scratch', 'context'].includes(s.name) ? s.name : undefined;
    if (name) names.add(name);
    const from = i > 0 && names.size > 0 && s.base === 'alpine:3.20' ? [...names][0]! : globals && s.base === 'golang:1.22' ? '${BASE}' : s.base;
    lines.push(`FROM ${from}${name ? ` AS ${name}` : ''}`, ...s.body);
  });
  return `${lines.join('\n')}\n`;
});

const repo = fc.array(dockerfile, { minLength: 1, maxLength: 4 }).map((files) => files.map((text, i) => ({ file: `svc${i}/Dockerfile`, service: `svc${i}`, path: `svc${i}`, text })));

describe('property: import keeps what each file says, or refuses it at a position', () => {
  it('never throws; kept files compile back from the written YAML to equivalent Dockerfiles', () => {
    let seen = 0;
    let keptTotal = 0;
    fc.assert(
      fc.property(repo, (sources) => {
        const result = importDockerfiles(sources, { context: 'service' });
        for (const f of result.files) if (f.status === 'refused') expect(f.refusals.length).toBeGreaterThan(0);
        const kept = result.files.filter((f) => f.status === 'equivalent');
        seen += sources.length;
        keptTotal += kept.length;
        if (kept.length === 0) return;
        const compiled = compile(result.text!);
        expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        for (const f of kept) {
          const source = sources.find((s) => s.file === f.file)!;
          const out = compiled.dockerfiles.find((d) => d.service === f.service)!.text;
          const names = parseStages(out).stages.map((s) => s.name!);
          expect(compareDockerfiles(source.text, out, names)).toEqual([]);
          expect(parseStages(out).stages.length).toBe(parseStages(source.text).stages.length);
        }
      }),
      params(60),
    );
    // The generator is not all refusals: most files (all but those with MAINTAINER, mostly) are kept.
    expect(keptTotal / seen).toBeGreaterThan(0.4);
  });
});
