import type { IncomingMessage } from 'node:http';

/**
 * The shop origins whose pages may open a co-browse session (the browser's Origin header on the
 * websocket upgrade). Anything else, a missing Origin included, is refused before the handshake:
 * a page on another site cannot pass itself off as the shop to an agent.
 */
export class CobrowseOrigins {
  private constructor(
    private readonly origins: ReadonlySet<string>,
    /** The demo: the gateway's own pages (the demo shop) may co-browse too. */
    private readonly allowOwn: boolean,
  ) {}

  /**
   * Origins as `https://shop.example` (scheme, host, optional port; no path). Throws an Error
   * naming the entry that is not one.
   */
  static parse(entries: readonly string[], options: { allowOwn?: boolean } = {}): CobrowseOrigins {
    const origins = new Set<string>();
    for (const entry of entries) origins.add(parseOrigin(entry));
    return new CobrowseOrigins(origins, options.allowOwn ?? false);
  }

  get entries(): string[] {
    return [...this.origins];
  }

  /** Whether the upgrade's Origin may co-browse; `secure`: the gateway itself serves TLS. */
  allows(request: IncomingMessage, secure: boolean): boolean {
    const origin = request.headers.origin;
    if (typeof origin !== 'string' || origin === '' || origin === 'null') return false;
    const normalised = normaliseOrigin(origin);
    if (normalised === null) return false;
    if (this.origins.has(normalised)) return true;
    // The page came from this gateway (the demo shop): the browser sends the same host and port.
    const host = request.headers.host;
    return (
      this.allowOwn &&
      typeof host === 'string' &&
      normalised === normaliseOrigin(`${secure ? 'https' : 'http'}://${host}`)
    );
  }
}

/** An origin entry as compared; throws for anything that is not just scheme, host and port. */
export function parseOrigin(entry: string): string {
  const text = entry.trim();
  const url = parseUrl(text);
  const origin = url && normaliseOrigin(text);
  if (!url || !origin || url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    throw new Error(
      `Co-browse origin "${entry}" is not an origin like https://shop.example or http://localhost:8080`,
    );
  }
  return origin;
}

/** The origin as browsers send it (lower-case host, default port dropped); null when not http(s). */
function normaliseOrigin(text: string): string | null {
  const url = parseUrl(text);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return null;
  if (url.username !== '' || url.password !== '') return null;
  return url.origin;
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
