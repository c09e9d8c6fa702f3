'use strict';
// Run with `node --test`. STAGEC_E2E_FAIL=1, or a file named STAGEC_E2E_FAIL in the app
// root, makes a test fail on purpose.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { build } = require('../build.js');

test('renders every page with the layout', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'web-'));
  try {
    const files = build(path.join(__dirname, '..', 'pages'), out);
    assert.deepStrictEqual(files, ['about.html', 'index.html']);
    const index = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    assert.match(index, /<title>stagec sample site<\/title>/);
    assert.match(index, /Hello from the web sample/);
    assert.match(index, /<a href="\/about.html">About<\/a>/);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('deliberate failure switch is off', () => {
  const forced = process.env.STAGEC_E2E_FAIL === '1' || fs.existsSync(path.join(__dirname, '..', 'STAGEC_E2E_FAIL'));
  assert.strictEqual(forced, false, 'STAGEC_E2E_FAIL is set: failing on purpose');
});
