#!/usr/bin/env node
// Size of what `stagec import` writes against the Dockerfiles it replaces, per layout of the
// import corpus (test/fixtures/import/<layout>) or of the folders given: compact JSON bytes of
// the stages.yaml / bytes of the Dockerfiles without comments and blank lines.
import { readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { discover, folderName, serviceNames } from '../packages/cli/dist/import/discover.js';
import { importDockerfiles } from '../packages/cli/dist/import/importer.js';
import { dockerfileBytes, stagesBytes } from '../packages/cli/dist/import/measure.js';

const corpus = resolve(import.meta.dirname, '../test/fixtures/import');
const roots = process.argv.length > 2 ? process.argv.slice(2).map((p) => resolve(p)) : readdirSync(corpus).sort().map((l) => join(corpus, l));
let totalIn = 0;
let totalOut = 0;
const rows = [];
for (const root of roots) {
  const { found } = discover(root, ['.']);
  const names = serviceNames(found.map((f) => f.file), folderName(root));
  const sources = found.map((f, i) => ({ file: f.file, service: names[i], path: f.file.includes('/') ? f.file.slice(0, f.file.lastIndexOf('/')) : '.', text: f.text }));
  const result = importDockerfiles(sources, { context: 'service' });
  const imported = result.files.filter((f) => f.status === 'equivalent').map((f) => f.file);
  const input = sources.filter((s) => imported.includes(s.file)).reduce((n, s) => n + dockerfileBytes(s.text), 0);
  const output = result.text ? stagesBytes(result.text) : 0;
  totalIn += input;
  totalOut += output;
  rows.push([basename(root), `${imported.length}/${sources.length}`, input, output, input ? (output / input).toFixed(2) : '-']);
}
rows.push(['total', '', totalIn, totalOut, (totalOut / totalIn).toFixed(2)]);
const header = ['layout', 'files', 'Dockerfile bytes', 'stages.yaml JSON bytes', 'ratio'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
for (const row of [header, ...rows]) console.log(row.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  '));
