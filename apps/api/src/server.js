'use strict';
// A tiny JSON API on node's standard library. PORT (default 3000).
const http = require('node:http');

function greet(name) {
  return { message: `hello, ${name || 'world'}` };
}

function handler(req, res) {
  const url = new URL(req.url, 'http://localhost');
  let status = 200;
  let body;
  if (url.pathname === '/health') body = { status: 'ok' };
  else if (url.pathname === '/hello') body = greet(url.searchParams.get('name'));
  else {
    status = 404;
    body = { error: 'not found' };
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function createServer() {
  return http.createServer(handler);
}

if (require.main === module) {
  const port = Number(process.env.PORT || 3000);
  createServer().listen(port, () => console.log(`api listening on ${port}`));
  process.on('SIGTERM', () => process.exit(0));
}

module.exports = { greet, handler, createServer };
