'use strict';
// Renders pages/*.html (first line: <!-- title: ... -->) into a layout, writes dist/.
// Usage: node build.js [outDir]   (default: dist)
const fs = require('node:fs');
const path = require('node:path');

function render(title, body, nav) {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${title}</title></head>
<body>
<nav>${nav}</nav>
<main>
${body.trim()}
</main>
<footer>built by stagec e2e</footer>
</body>
</html>
`;
}

function build(srcDir, outDir) {
  const files = fs
    .readdirSync(srcDir)
    .filter((f) => f.endsWith('.html'))
    .sort();
  const pages = files.map((file) => {
    const text = fs.readFileSync(path.join(srcDir, file), 'utf8');
    const m = /^<!--\s*title:\s*(.*?)\s*-->\n?/.exec(text);
    return { file, title: m ? m[1] : file, body: m ? text.slice(m[0].length) : text };
  });
  const nav = pages.map((p) => `<a href="/${p.file}">${p.title}</a>`).join(' | ');
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  for (const p of pages) fs.writeFileSync(path.join(outDir, p.file), render(p.title, p.body, nav));
  return pages.map((p) => p.file);
}

if (require.main === module) {
  const out = path.resolve(process.argv[2] || path.join(__dirname, 'dist'));
  const written = build(path.join(__dirname, 'pages'), out);
  console.log(`rendered ${written.length} page(s) into ${out}`);
}

module.exports = { build, render };
