import { createHash } from 'node:crypto';
import { DIGEST, type ImageName } from '@stagec/core';
import { parseChallenges, type Challenge } from './challenge';
import { credentialsFor, type Credentials } from './credentials';
import { Fetcher } from './proxy';

/** Index first: a multi-platform image keeps its index digest, as `docker buildx imagetools inspect` shows it. */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export type RegistryFailureCode = 'REGISTRY_UNREACHABLE' | 'REGISTRY_AUTH' | 'IMAGE_NOT_FOUND' | 'REGISTRY_ERROR';

export type Resolution =
  | { ok: true; digest: string; mediaType?: string }
  | { ok: false; code: RegistryFailureCode; message: string; hint?: string };

export interface RegistryOptions {
  env: NodeJS.ProcessEnv;
  /** Per HTTP request. */
  timeoutMs: number;
}

class Failure extends Error {
  constructor(
    readonly code: RegistryFailureCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(:\d+)?$/;

/**
 * Registry HTTP API v2 client: one HEAD per image where the registry sends
 * Docker-Content-Digest (Docker Hub does not count HEADs against its pull limit), a GET with
 * the digest computed locally otherwise; anonymous, basic and bearer-token auth.
 */
export class RegistryClient {
  private readonly tokens = new Map<string, Promise<string>>();
  private readonly credentials = new Map<string, Credentials | undefined>();
  private readonly fetcher: Fetcher;

  constructor(private readonly options: RegistryOptions) {
    this.fetcher = new Fetcher(options.env);
  }

  /** Docker Hub's API lives at registry-1.docker.io; loopback registries (and STAGEC_INSECURE_REGISTRIES) speak plain http, as Docker allows. */
  endpoint(domain: string): string {
    if (domain === 'docker.io') return 'https://registry-1.docker.io';
    const insecure = (this.options.env.STAGEC_INSECURE_REGISTRIES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    return `${LOOPBACK.test(domain) || insecure.includes(domain) ? 'http' : 'https'}://${domain}`;
  }

  async resolve(name: ImageName): Promise<Resolution> {
    try {
      return { ok: true, ...(await this.manifest(name)) };
    } catch (error) {
      if (error instanceof Failure) return { ok: false, code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
      throw error;
    }
  }

  private async manifest(name: ImageName): Promise<{ digest: string; mediaType?: string }> {
    const url = `${this.endpoint(name.domain)}/v2/${name.repository}/manifests/${encodeURIComponent(name.tag)}`;
    const scope = `repository:${name.repository}:pull`;
    let digest: string | undefined;
    let mediaType: string | undefined;
    try {
      const head = await this.send(url, 'HEAD', name.domain, scope);
      digest = head.headers.get('docker-content-digest') ?? undefined;
      mediaType = contentType(head);
    } catch (error) {
      // Some registries refuse HEAD (405) or fail it oddly: GET says the same, with a body to hash.
      if (!(error instanceof Failure) || error.code !== 'REGISTRY_ERROR') throw error;
    }
    let response: Response;
    if (!digest || !DIGEST.test(digest)) {
      // No usable header (some registries send it on GET only): fetch the manifest and hash it ourselves.
      response = await this.send(url, 'GET', name.domain, scope);
      const body = Buffer.from(await response.arrayBuffer());
      const computed = `sha256:${createHash('sha256').update(body).digest('hex')}`;
      const sent = response.headers.get('docker-content-digest');
      if (sent && sent !== computed) throw new Failure('REGISTRY_ERROR', `${name.domain} sent digest ${sent} for a manifest whose content hashes to ${computed}`);
      digest = computed;
      mediaType = contentType(response) ?? mediaTypeOf(body);
    }
    return { digest, ...(mediaType ? { mediaType } : {}) };
  }

  /** One request, answering a 401 challenge once with what the registry asks for. */
  private async send(url: string, method: 'HEAD' | 'GET', domain: string, scope: string): Promise<Response> {
    const headers: Record<string, string> = { Accept: MANIFEST_ACCEPT };
    let response = await this.fetch(url, { method, headers }, domain);
    if (response.status === 401) {
      const authorization = await this.authorize(response, domain, scope);
      response = await this.fetch(url, { method, headers: { ...headers, Authorization: authorization } }, domain);
      if (response.status === 401 || response.status === 403) throw this.denied(domain, true);
    }
    if (response.ok) return response;
    if (response.status === 404) throw new Failure('IMAGE_NOT_FOUND', `${domain} has no such repository or tag (${await errorText(response)})`, 'check the name and tag (`docker manifest inspect <image>`)');
    if (response.status === 403) throw this.denied(domain, this.credentialsOf(domain) !== undefined);
    if (response.status === 429) throw new Failure('REGISTRY_ERROR', `${domain} rate-limits this client (HTTP 429)`, 'log in (docker login) for a higher limit, or retry later');
    throw new Failure('REGISTRY_ERROR', `${domain} answered HTTP ${response.status} for ${url} (${await errorText(response)})`);
  }

  private denied(domain: string, withCredentials: boolean): Failure {
    const creds = this.credentialsOf(domain);
    return withCredentials && creds
      ? new Failure('REGISTRY_AUTH', `${domain} refused the credentials from ${creds.from}`, `check them (docker login ${domain}), or that they may pull this repository`)
      : new Failure('REGISTRY_AUTH', `${domain} needs credentials to pull this repository (or it does not exist)`, `docker login ${domain}, or set STAGEC_REGISTRY_AUTH`);
  }

  private credentialsOf(domain: string): Credentials | undefined {
    if (!this.credentials.has(domain)) this.credentials.set(domain, credentialsFor(domain, this.options.env));
    return this.credentials.get(domain);
  }

  private async authorize(response: Response, domain: string, scope: string): Promise<string> {
    const challenges = parseChallenges(response.headers.get('www-authenticate') ?? '');
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
    const creds = this.credentialsOf(domain);
    if (bearer) return `Bearer ${await this.token(bearer, domain, bearer.params.scope ?? scope, creds)}`;
    if (challenges.some((c) => c.scheme === 'basic')) {
      if (!creds?.username || creds.password === undefined) throw this.denied(domain, false);
      return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
    }
    throw new Failure('REGISTRY_ERROR', `${domain} asks for authentication stagec does not speak: ${response.headers.get('www-authenticate') ?? '(no WWW-Authenticate header)'}`);
  }

  /** A bearer token from the realm the registry names (Docker's token protocol; OAuth2 refresh for identity tokens). Shared by images of one scope. */
  private token(challenge: Challenge, domain: string, scope: string, creds: Credentials | undefined): Promise<string> {
    const { realm, service } = challenge.params;
    const key = `${realm}\0${service}\0${scope}`;
    let pending = this.tokens.get(key);
    if (!pending) {
      pending = this.fetchToken(realm!, service, scope, domain, creds);
      this.tokens.set(key, pending);
    }
    return pending;
  }

  private async fetchToken(realm: string, service: string | undefined, scope: string, domain: string, creds: Credentials | undefined): Promise<string> {
    let response: Response;
    if (creds?.identityToken) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.identityToken, client_id: 'stagec', scope, ...(service ? { service } : {}) });
      response = await this.fetch(realm, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() }, domain);
    } else {
      const url = new URL(realm);
      if (service) url.searchParams.set('service', service);
      url.searchParams.set('scope', scope);
      const headers: Record<string, string> = creds?.username ? { Authorization: `Basic ${Buffer.from(`${creds.username}:${creds.password ?? ''}`).toString('base64')}` } : {};
      response = await this.fetch(url.toString(), { method: 'GET', headers }, domain);
    }
    if (response.status === 401 || response.status === 403) throw this.denied(domain, creds !== undefined);
    if (!response.ok) throw new Failure('REGISTRY_ERROR', `the token server ${realm} answered HTTP ${response.status} (${await errorText(response)})`);
    const body = (await response.json().catch(() => ({}))) as { token?: unknown; access_token?: unknown };
    const token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined;
    if (!token) throw new Failure('REGISTRY_ERROR', `the token server ${realm} sent no token`);
    return token;
  }

  /** Lets the process exit: proxy connections are kept alive otherwise. */
  close(): Promise<void> {
    return this.fetcher.close();
  }

  private async fetch(url: string, init: RequestInit, domain: string): Promise<Response> {
    try {
      return await this.fetcher.fetch(url, { ...init, redirect: 'follow', signal: AbortSignal.timeout(this.options.timeoutMs) });
    } catch (error) {
      const why = reason(error, this.options.timeoutMs);
      // A registry with a private CA is the usual TLS failure: Node reads extra CAs from NODE_EXTRA_CA_CERTS.
      const hint = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|TLS|SSL/i.test(why)
        ? 'a TLS problem: for a private CA, point NODE_EXTRA_CA_CERTS at its certificate'
        : 'check the registry name, the network (HTTPS_PROXY, NO_PROXY), or raise --timeout';
      throw new Failure('REGISTRY_UNREACHABLE', `cannot reach ${domain} at ${new URL(url).origin}: ${why}`, hint);
    }
  }
}

function reason(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(error);
}

const contentType = (response: Response): string | undefined => response.headers.get('content-type')?.split(';')[0]?.trim() || undefined;

function mediaTypeOf(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { mediaType?: unknown };
    return typeof parsed.mediaType === 'string' ? parsed.mediaType : undefined;
  } catch {
    return undefined;
  }
}

/** The registry's own error text (`MANIFEST_UNKNOWN: manifest unknown`), short. */
async function errorText(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { errors?: { code?: string; message?: string }[] };
    const first = body.errors?.[0];
    if (first) return [first.code, first.message].filter(Boolean).join(': ').slice(0, 200);
  } catch {
    // not JSON (HEAD has no body)
  }
  return `HTTP ${response.status}`;
}

