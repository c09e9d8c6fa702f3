'use strict';
// Run with `node --test` (picks up files under test/).
// STAGEC_E2E_FAIL=1, or a file named STAGEC_E2E_FAIL in the app root, makes a test fail on purpose.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { greet, createServer } = require('../src/server.js');

test('greet', () => {
  assert.deepStrictEqual(greet('stagec'), { message: 'hello, stagec' });
  assert.deepStrictEqual(greet(), { message: 'hello, world' });
});

test('GET /hello over HTTP', async () => {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address();
    const res = await fetch(`http://127.0.0.1:${port}/hello?name=e2e`);
    assert.strictEqual(res.status, 200);
    assert.deepStrictEqual(await res.json(), { message: 'hello, e2e' });
  } finally {
    // node 18 (Debian's) keeps fetch's keep-alive socket open for 5 s unless told otherwise.
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('deliberate failure switch is off', () => {
  const forced = process.env.STAGEC_E2E_FAIL === '1' || fs.existsSync(path.join(__dirname, '..', 'STAGEC_E2E_FAIL'));
  assert.strictEqual(forced, false, 'STAGEC_E2E_FAIL is set: failing on purpose');
});
