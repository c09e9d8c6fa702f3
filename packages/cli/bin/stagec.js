#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is compiled and bundled into dist/stagec.js by `npm run build` (run by
// `npm ci` via prepare; scripts/bundle.mjs says why one file).
// A reader that goes away (`stagec explain api | head`): the rest of that output goes nowhere,
// no stack trace, and the exit code still tells how the command ended (a failed check stays 1).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    stream.write = () => true;
  });
}
require('../dist/stagec.js')
  .run(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
