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
const argv = process.argv.slice(2);
// A bare `--version` answers without loading the CLI (a third of a small compile's start-up):
// the same line commander prints, from package.json, which main.ts's VERSION is held equal to.
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) process.stdout.write(`${require('../package.json').version}\n`);
else {
  const cli = require('../dist/stagec.js');
  // This process is stagec's own: commits may move its working directory to pin folders.
  cli.ownProcess();
  cli.run(argv).then((code) => {
    process.exitCode = code;
  });
}
