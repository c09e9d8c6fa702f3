import type { ProxyAgent } from 'undici';

/** NO_PROXY as curl and Docker read it: `*`, hosts, domains (`.example.com` or `example.com` match subdomains), optional `:port`. */
export function bypassesProxy(url: URL, noProxy: string): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') return true;
      const [name, entryPort] = entry.toLowerCase().replace(/^\*?\./, '').split(/:(?=\d+$)/);
      if (entryPort && entryPort !== port) return false;
      return host === name || host.endsWith(`.${name}`);
    });
}

/**
 * Node's fetch ignores HTTP(S)_PROXY, which Docker and every registry client honour. With a
 * proxy set, requests go through undici (the library inside Node's fetch) tunnelled by a
 * ProxyAgent, except to NO_PROXY hosts; undici is loaded only then.
 */
export class Fetcher {
  private agents?: Promise<{ fetch: typeof import('undici').fetch; Agent: typeof ProxyAgent; open: Map<string, ProxyAgent> }>;

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  private proxyFor(url: URL): string | undefined {
    const proxy = url.protocol === 'https:' ? (this.env.HTTPS_PROXY ?? this.env.https_proxy) : (this.env.HTTP_PROXY ?? this.env.http_proxy);
    return proxy && !bypassesProxy(url, this.env.NO_PROXY ?? this.env.no_proxy ?? '') ? proxy : undefined;
  }

  async fetch(url: string, init: RequestInit): Promise<Response> {
    const proxy = this.proxyFor(new URL(url));
    if (!proxy) return fetch(url, init);
    this.agents ??= import('undici').then(({ fetch: undiciFetch, ProxyAgent: Agent }) => ({ fetch: undiciFetch, Agent, open: new Map() }));
    const undici = await this.agents;
    let dispatcher = undici.open.get(proxy);
    if (!dispatcher) undici.open.set(proxy, (dispatcher = new undici.Agent(proxy)));
    return (await undici.fetch(url, { ...(init as object), dispatcher })) as unknown as Response;
  }

  /** Proxy connections are kept alive: close them so the process can exit. */
  async close(): Promise<void> {
    const undici = await this.agents;
    if (undici) await Promise.all([...undici.open.values()].map((agent) => agent.destroy()));
  }
}
