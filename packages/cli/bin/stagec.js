#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run by `npm ci` via prepare).
require('../dist/index.js')
  .run(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
