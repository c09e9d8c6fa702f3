'use strict';
// "Build": copy src/ to dist/ (no dependencies, no transpiler).
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');
fs.rmSync(dist, { recursive: true, force: true });
fs.cpSync(path.join(root, 'src'), dist, { recursive: true });
console.log(`built ${fs.readdirSync(dist).length} file(s) into dist/`);
