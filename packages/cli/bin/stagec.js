#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run by `npm ci` via prepare).
// A reader that goes away (`stagec explain api | head`) ends the output, not in a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}
require('../dist/index.js')
  .run(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
