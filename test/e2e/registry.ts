// A real registry for tests: Debian's `docker-registry` (distribution 2.8) on 127.0.0.1, with
// optional htpasswd (bcrypt) or token auth, and images pushed through its HTTP API v2 (no
// engine needed, so these tests take seconds). Reusable: lock (#18) and build settings (#17).
//
//   const registry = await startRegistry({ basic: { alice: 'secret' } });
//   const digest = await pushImage(registry, 'team/app', '1.0', { authorization: basicAuth('alice', 'secret') });
//   await registry.stop();
//
// Provisioning: scripts/e2e/registry.sh installs the package (run.sh calls it).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, createSign, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as netServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';

export const REGISTRY_BIN = process.env.STAGEC_REGISTRY_BIN ?? '/usr/bin/docker-registry';
export const registryAvailable = (): boolean => existsSync(REGISTRY_BIN);

export interface TokenAuth {
  /** Users the token server accepts (basic auth on the token request). */
  users: Record<string, string>;
  /** Allow anonymous pulls (a token without a user), as Docker Hub does for public images. */
  anonymousPull?: boolean;
}

export interface RegistryOptions {
  /** htpasswd users: the registry answers 401 with a Basic challenge. */
  basic?: Record<string, string>;
  /** Bearer tokens from a token server written here (RS256 JWTs, x5c chain to a self-signed cert). */
  token?: TokenAuth;
}

export interface Registry {
  /** `127.0.0.1:<port>`: the reference's domain. */
  host: string;
  url: string;
  /** For pushes: an Authorization header value with push rights, if the registry needs one. */
  admin?: (repository: string) => Promise<string>;
  /** The token server, when there is one. */
  tokenUrl?: string;
  /** Every token request the token server saw (service, scope, user). */
  tokenRequests: { service: string | null; scope: string | null; user?: string }[];
  dir: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = netServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const basicAuth = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export async function startRegistry(options: RegistryOptions = {}): Promise<Registry> {
  const dir = mkdtempSync(join(tmpdir(), 'stagec-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const lines = ['version: 0.1', 'log:', '  level: warn', '  accesslog:', '    disabled: true', 'storage:', '  filesystem:', `    rootdirectory: ${join(dir, 'data')}`, '  delete:', '    enabled: true', 'http:', `  addr: ${host}`];
  let tokenServer: TokenServer | undefined;
  let admin: Registry['admin'];
  if (options.basic) {
    const htpasswd = Object.entries(options.basic).map(([user, password]) => `${user}:${bcrypt.hashSync(password, 6)}`).join('\n');
    writeFileSync(join(dir, 'htpasswd'), `${htpasswd}\n`);
    lines.push('auth:', '  htpasswd:', '    realm: stagec-test', `    path: ${join(dir, 'htpasswd')}`);
    const [user, password] = Object.entries(options.basic)[0]!;
    admin = async () => basicAuth(user, password);
  }
  if (options.token) {
    tokenServer = await startTokenServer(dir, options.token);
    lines.push('auth:', '  token:', `    realm: ${tokenServer.url}/token`, `    service: ${tokenServer.service}`, `    issuer: ${tokenServer.issuer}`, `    rootcertbundle: ${tokenServer.certFile}`);
    admin = async (repository) => `Bearer ${tokenServer!.issue('admin', `repository:${repository}:pull,push`, ['pull', 'push'])}`;
  }
  writeFileSync(join(dir, 'config.yml'), `${lines.join('\n')}\n`);
  const child: ChildProcess = spawn(REGISTRY_BIN, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  // A test that dies (a timeout, an exception before stop) must not leave a registry running.
  const reap = (): void => void child.kill();
  process.once('exit', reap);
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const url = `http://${host}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const response = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
      if (response.status === 200 || response.status === 401) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`docker-registry did not start on ${host}:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host,
    url,
    dir,
    tokenRequests: tokenServer?.requests ?? [],
    ...(admin ? { admin } : {}),
    ...(tokenServer ? { tokenUrl: tokenServer.url } : {}),
    async stop() {
      process.removeListener('exit', reap);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await tokenServer?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface TokenServer {
  url: string;
  service: string;
  issuer: string;
  certFile: string;
  requests: Registry['tokenRequests'];
  issue(subject: string, scope: string, actions: string[]): string;
  stop(): Promise<void>;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** Docker's token protocol: GET /token?service=&scope=, basic auth, a JWT the registry verifies against our certificate. */
async function startTokenServer(dir: string, auth: TokenAuth): Promise<TokenServer> {
  const keyFile = join(dir, 'token.key');
  const certFile = join(dir, 'token.crt');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=stagec-test-token'], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl could not make the token certificate: ${made.stderr}`);
  const key = readFileSync(keyFile, 'utf8');
  const der = Buffer.from(readFileSync(certFile, 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const service = 'stagec-test-registry';
  const issuer = 'stagec-test-issuer';
  const issue = (subject: string, scope: string, actions: string[]): string => {
    const [type, name] = scope.split(':');
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'RS256', x5c: [der.toString('base64')] };
    const claims = { iss: issuer, sub: subject, aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access: [{ type, name, actions }] };
    const signing = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = createSign('RSA-SHA256').update(signing).sign(key);
    return `${signing}.${b64url(signature)}`;
  };
  const requests: Registry['tokenRequests'] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://token');
    const scope = url.searchParams.get('scope');
    const header = req.headers.authorization ?? '';
    let user: string | undefined;
    if (header.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
      const [name, ...rest] = decoded.split(':');
      if (auth.users[name!] !== rest.join(':')) {
        requests.push({ service: url.searchParams.get('service'), scope, user: name! });
        res.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ details: 'incorrect username or password' }));
        return;
      }
      user = name;
    }
    requests.push({ service: url.searchParams.get('service'), scope, ...(user ? { user } : {}) });
    if (!user && !auth.anonymousPull) {
      res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Basic realm="stagec-test-token"' }).end('{}');
      return;
    }
    // Pull only, whatever was asked: enough for stagec lock.
    const token = scope ? issue(user ?? '', scope, ['pull']) : issue(user ?? '', 'registry:catalog:*', []);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, service, issuer, certFile, requests, issue, stop: () => new Promise((r) => server.close(() => r())) };
}

const sha256 = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

async function call(registry: Registry, repository: string, method: string, path: string, body?: Buffer, headers: Record<string, string> = {}): Promise<Response> {
  const authorization = registry.admin ? await registry.admin(repository) : undefined;
  const url = path.startsWith('http') ? path : `${registry.url}${path}`;
  const response = await fetch(url, { method, headers: { ...headers, ...(authorization ? { Authorization: authorization } : {}) }, ...(body ? { body: new Uint8Array(body) } : {}) });
  if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status} ${await response.text()}`);
  return response;
}

export async function pushBlob(registry: Registry, repository: string, data: Buffer): Promise<{ digest: string; size: number }> {
  const digest = sha256(data);
  const started = await call(registry, repository, 'POST', `/v2/${repository}/blobs/uploads/`);
  const location = new URL(started.headers.get('location')!, registry.url);
  location.searchParams.set('digest', digest);
  await call(registry, repository, 'PUT', location.toString(), data, { 'Content-Type': 'application/octet-stream' });
  return { digest, size: data.length };
}

export async function putManifest(registry: Registry, repository: string, reference: string, manifest: object, mediaType: string): Promise<string> {
  const body = Buffer.from(JSON.stringify(manifest));
  const response = await call(registry, repository, 'PUT', `/v2/${repository}/manifests/${reference}`, body, { 'Content-Type': mediaType });
  const digest = sha256(body);
  const sent = response.headers.get('docker-content-digest');
  if (sent && sent !== digest) throw new Error(`registry says ${sent}, the manifest hashes to ${digest}`);
  return digest;
}

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** A one-layer image (random layer bytes, so every push is a new digest) tagged `tag`; returns the manifest digest. */
export async function pushImage(registry: Registry, repository: string, tag: string, platform = { os: 'linux', architecture: 'amd64' }): Promise<string> {
  const layer = await pushBlob(registry, repository, randomBytes(64));
  const config = await pushBlob(registry, repository, Buffer.from(JSON.stringify({ ...platform, rootfs: { type: 'layers', diff_ids: [layer.digest] }, config: {} })));
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
  };
  return putManifest(registry, repository, tag, manifest, OCI_MANIFEST);
}

/** A multi-platform image: one manifest per platform, pushed by digest, and an OCI index tagged `tag`. */
export async function pushIndex(registry: Registry, repository: string, tag: string, platforms: { os: string; architecture: string }[]): Promise<{ index: string; manifests: string[] }> {
  const manifests: { mediaType: string; digest: string; size: number; platform: { os: string; architecture: string } }[] = [];
  for (const platform of platforms) {
    const digest = await pushImage(registry, repository, `tmp-${platform.architecture}`, platform);
    const body = await (await call(registry, repository, 'GET', `/v2/${repository}/manifests/${digest}`, undefined, { Accept: OCI_MANIFEST })).arrayBuffer();
    manifests.push({ mediaType: OCI_MANIFEST, digest, size: body.byteLength, platform });
  }
  const index = await putManifest(registry, repository, tag, { schemaVersion: 2, mediaType: OCI_INDEX, manifests }, OCI_INDEX);
  return { index, manifests: manifests.map((m) => m.digest) };
}
