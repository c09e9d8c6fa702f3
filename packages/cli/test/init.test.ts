import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '@stagec/core';
import { stagec, workspace } from './harness';

const SAMPLE = {
  'package.json': '{ "private": true, "workspaces": ["apps/*"] }\n',
  'apps/shop/package.json': '{ "name": "shop", "scripts": { "start": "node src/main.js", "test": "node --test" } }\n',
  'apps/shop/package-lock.json': '{ "lockfileVersion": 3 }\n',
  'apps/site/package.json': '{ "name": "site", "scripts": { "build": "node build.js" } }\n',
  'apps/lib/package.json': '{ "name": "lib" }\n',
  'services/stock/go.mod': 'module x\n\ngo 1.22\n',
  'services/stock/main.go': 'package main\n\nfunc main() {}\n',
  'services/gomod-lib/go.mod': 'module y\n',
  'services/gomod-lib/lib.go': 'package lib\n',
  'jobs/mailer/requirements.txt': 'requests\n',
  'jobs/mailer/app.py': 'print(1)\n',
  'jobs/etl/pyproject.toml': '[project]\nname = "etl"\n',
  'sites/landing/index.html': '<!doctype html>\n',
  'legacy/Dockerfile': 'FROM debian:bookworm-slim\nCMD ["true"]\n',
  'node_modules/dep/package.json': '{ "main": "x.js" }\n',
};

describe('stagec init', () => {
  it('detects services by their files, imports Dockerfile folders, and writes a stages.yaml that compiles', async () => {
    const root = workspace(SAMPLE);
    const ran = await stagec(root, 'init');
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    const lines = ran.stdout.split('\n');
    expect(lines).toContain('legacy/Dockerfile: imported as service legacy');
    expect(ran.stdout).toMatch(/^apps\/shop: node \(package.json with a start script\) -> service shop, pipeline node$/m);
    expect(ran.stdout).toMatch(/^apps\/site: node-static .* -> service site/m);
    expect(ran.stdout).toMatch(/^services\/stock: go .* -> service stock/m);
    expect(ran.stdout).toMatch(/^jobs\/mailer: python \(requirements.txt\)/m);
    expect(ran.stdout).toMatch(/^jobs\/etl: python \(pyproject.toml\)/m);
    expect(ran.stdout).toMatch(/^sites\/landing: static/m);
    // A library (no start, no main, no build) and a Go package without main are not services; node_modules is never searched.
    expect(ran.stdout).not.toMatch(/apps\/lib|gomod-lib|node_modules/);
    const text = readFileSync(join(root, 'stages.yaml'), 'utf8');
    const result = compile(text);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const project = result.project!;
    expect(project.services.map((s) => s.name).sort()).toEqual(['etl', 'landing', 'legacy', 'mailer', 'shop', 'site', 'stock']);
    // Every base image of a detected service is a top-level arg; every runtime runs as non-root; every pipeline has a test stage.
    for (const service of project.services.filter((s) => s.name !== 'legacy')) {
      const file = result.dockerfiles.find((d) => d.service === service.name)!.text;
      for (const from of file.match(/^FROM \S+/gm)!) expect(from, `${service.name}: ${from}`).toMatch(/^FROM (\$\{[A-Z_]+\}|[a-z]+)$/);
      expect(service.stages.map((s) => s.name)).toContain('test');
      expect(file, service.name).toMatch(/^USER 65532:65532$/m);
    }
    expect(text).toMatch(/cache: \[ \/root\/\.npm \]/);
  });

  it('never replaces an existing stages.yaml without --force (OUTPUT_EXISTS); --dry-run prints', async () => {
    const root = workspace({ ...SAMPLE, 'stages.yaml': 'mine\n' });
    const refused = await stagec(root, 'init');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('OUTPUT_EXISTS');
    const dry = await stagec(root, 'init', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('pipelines:');
    expect(readFileSync(join(root, 'stages.yaml'), 'utf8')).toBe('mine\n');
  });

  it('says so when it finds nothing', async () => {
    const ran = await stagec(workspace({ 'README.md': '# x\n' }), 'init');
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('found no services');
  });
});
