import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** What a registry or its token server may be given. */
export interface Credentials {
  username?: string;
  password?: string;
  /** An OAuth2 refresh token (`docker login` to some registries stores one instead of a password). */
  identityToken?: string;
  /** Where they came from, for messages: never the secret itself. */
  from: string;
}

/** Docker Hub's key in config.json, as `docker login` writes it. */
const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';
const HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** `https://ghcr.io/v2/` and `ghcr.io` name the same registry; Docker Hub has several names. */
export function registryKey(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  return HUB_ALIASES.has(host) ? 'docker.io' : host;
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

interface DockerConfig {
  auths?: Record<string, AuthEntry>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

function fromEntry(entry: AuthEntry, from: string): Credentials | undefined {
  if (entry.identitytoken) return { identityToken: entry.identitytoken, ...(entry.username ? { username: entry.username } : {}), from };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), from };
  }
  if (entry.username !== undefined && entry.password !== undefined) return { username: entry.username, password: entry.password, from };
  return undefined;
}

const lookup = (auths: Record<string, AuthEntry> | undefined, domain: string): [string, AuthEntry] | undefined =>
  Object.entries(auths ?? {}).find(([key]) => registryKey(key) === domain);

/** `docker-credential-<helper> get`, as the Docker CLI runs it; undefined when it has nothing. */
function fromHelper(helper: string, domain: string, from: string, env: NodeJS.ProcessEnv): Credentials | undefined {
  const server = domain === 'docker.io' ? DOCKER_HUB_KEY : domain;
  const ran = spawnSync(`docker-credential-${helper}`, ['get'], { input: server, encoding: 'utf8', timeout: 30_000, env });
  if (ran.status !== 0 || !ran.stdout) return undefined;
  try {
    const { Username, Secret } = JSON.parse(ran.stdout) as { Username?: string; Secret?: string };
    if (!Secret) return undefined;
    return Username === '<token>' ? { identityToken: Secret, from } : { username: Username ?? '', password: Secret, from };
  } catch {
    return undefined;
  }
}

/** A malformed STAGEC_REGISTRY_AUTH, said before any registry is asked; undefined when it is fine or unset. */
export function authEnvProblem(env: NodeJS.ProcessEnv): string | undefined {
  if (!env.STAGEC_REGISTRY_AUTH) return undefined;
  try {
    const parsed: unknown = JSON.parse(env.STAGEC_REGISTRY_AUTH);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return undefined;
  } catch {
    // reported below
  }
  return 'STAGEC_REGISTRY_AUTH must be JSON like {"registry.example.com": {"username": "...", "password": "..."}}';
}

/**
 * Credentials for a registry, in this order: STAGEC_REGISTRY_AUTH (JSON in config.json's
 * `auths` shape, for CI), then Docker's config.json (DOCKER_CONFIG or ~/.docker): its
 * credHelpers, credsStore, then auths. Undefined means anonymous.
 */
export function credentialsFor(domain: string, env: NodeJS.ProcessEnv): Credentials | undefined {
  if (env.STAGEC_REGISTRY_AUTH) {
    let auths: Record<string, AuthEntry>;
    try {
      auths = JSON.parse(env.STAGEC_REGISTRY_AUTH) as Record<string, AuthEntry>;
    } catch {
      throw new Error('STAGEC_REGISTRY_AUTH is not JSON: write {"registry.example.com": {"username": "...", "password": "..."}}');
    }
    const found = lookup(auths, domain);
    if (found) return fromEntry(found[1], 'STAGEC_REGISTRY_AUTH');
  }
  const dir = env.DOCKER_CONFIG ?? join(env.HOME ?? homedir(), '.docker');
  const file = join(dir, 'config.json');
  let config: DockerConfig;
  try {
    config = JSON.parse(readFileSync(file, 'utf8')) as DockerConfig;
  } catch {
    return undefined; // no Docker config: anonymous, as for `docker pull`
  }
  const helper = Object.entries(config.credHelpers ?? {}).find(([key]) => registryKey(key) === domain)?.[1] ?? config.credsStore;
  if (helper) {
    const found = fromHelper(helper, domain, `docker-credential-${helper}`, env);
    if (found) return found;
  }
  const entry = lookup(config.auths, domain);
  return entry ? fromEntry(entry[1], file) : undefined;
}
