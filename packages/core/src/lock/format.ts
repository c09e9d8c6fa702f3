import { sortDiagnostics, type Diagnostic } from '../diagnostics';
import { load, type SourceIndex, type YamlPath } from '../load';
import type { Lock, LockEntry } from './model';
import { DIGEST } from './reference';

/**
 * stages.lock, byte-stable: a header, then one block per reference, sorted by reference, keys in
 * a fixed order, every string JSON-quoted (valid YAML; no value can break the layout).
 */
export function formatLock(lock: Lock, configName = 'stages.yaml'): string {
  const lines = [
    `# Written by \`stagec lock\` from ${configName}: the digest each image reference resolved to.`,
    '# `stagec compile` pins these (image:tag@sha256:...). Do not edit; refresh with `stagec lock --update [image]`.',
    'version: 1',
  ];
  const references = Object.keys(lock.images).sort();
  if (references.length === 0) lines.push('images: {}');
  else lines.push('images:');
  for (const reference of references) {
    const entry = lock.images[reference]!;
    lines.push(`  ${JSON.stringify(reference)}:`);
    lines.push(`    name: ${JSON.stringify(entry.name)}`);
    lines.push(`    digest: ${JSON.stringify(entry.digest)}`);
    if (entry.mediaType !== undefined) lines.push(`    mediaType: ${JSON.stringify(entry.mediaType)}`);
  }
  return `${lines.join('\n')}\n`;
}

export interface ParsedLock {
  lock?: Lock;
  source: SourceIndex;
  diagnostics: Diagnostic[];
}

const ENTRY_KEYS = new Set(['name', 'digest', 'mediaType']);

/** Reads stages.lock; anything but the documented shape is LOCK_INVALID at its position (a hand edit gone wrong, a merge conflict). */
export function parseLock(text: string, file = 'stages.lock'): ParsedLock {
  const loaded = load(text, file);
  const { source } = loaded;
  if (loaded.data === undefined || loaded.diagnostics.some((d) => d.severity === 'error')) return { source, diagnostics: loaded.diagnostics };
  const diagnostics: Diagnostic[] = [];
  const invalid = (message: string, path: YamlPath, key = false): void => {
    diagnostics.push({ code: 'LOCK_INVALID', severity: 'error', message, file, ...source.position(path, { key }), hint: 'regenerate it with `stagec lock --update`' });
  };
  const data = loaded.data as Record<string, unknown> | null;
  if (!isObject(data)) {
    invalid(`${file} is not a mapping with "version" and "images"`, []);
    return { source, diagnostics };
  }
  for (const key of Object.keys(data)) if (key !== 'version' && key !== 'images') invalid(`unknown key "${key}" in ${file}`, [key], true);
  if (data.version !== 1) invalid(`${file} has version ${JSON.stringify(data.version ?? null)}; this stagec reads version 1`, ['version']);
  // No prototype: an image may well be called `constructor` or `__proto__`.
  const images: Record<string, LockEntry> = Object.create(null) as Record<string, LockEntry>;
  if (!isObject(data.images)) invalid('"images" must be a mapping of image references', ['images']);
  else {
    for (const [reference, raw] of Object.entries(data.images)) {
      const at = ['images', reference];
      if (!isObject(raw)) {
        invalid(`entry "${reference}" must be a mapping with name and digest`, at);
        continue;
      }
      for (const key of Object.keys(raw)) if (!ENTRY_KEYS.has(key)) invalid(`unknown key "${key}" in entry "${reference}"`, [...at, key], true);
      if (typeof raw.name !== 'string' || raw.name === '') invalid(`entry "${reference}" needs a "name"`, typeof raw.name === 'string' ? [...at, 'name'] : at);
      // The digest lands in every Dockerfile: only the exact sha256 form gets through.
      if (typeof raw.digest !== 'string' || !DIGEST.test(raw.digest)) invalid(`entry "${reference}" needs a digest of the form sha256:<64 hex digits>`, raw.digest === undefined ? at : [...at, 'digest']);
      if (raw.mediaType !== undefined && typeof raw.mediaType !== 'string') invalid(`"mediaType" of entry "${reference}" must be a string`, [...at, 'mediaType']);
      if (typeof raw.name === 'string' && typeof raw.digest === 'string' && DIGEST.test(raw.digest)) {
        images[reference] = { name: raw.name, digest: raw.digest, ...(typeof raw.mediaType === 'string' ? { mediaType: raw.mediaType } : {}) };
      }
    }
  }
  return diagnostics.length > 0 ? { source, diagnostics: sortDiagnostics(diagnostics) } : { lock: { version: 1, images }, source, diagnostics };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
