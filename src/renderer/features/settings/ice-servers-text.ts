import { IceServer } from '../../../shared/phone-settings';

/**
 * ICE servers as the agent types them: one per line, "url [username credential]", e.g.
 * "stun:stun.example.com:3478" or "turn:turn.example.com:3478 agent s3cret".
 */
export function parseIceServers(text: string): IceServer[] | null {
  const servers: IceServer[] = [];
  for (const line of text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const [url, username, credential, ...rest] = line.split(/\s+/);
    if (rest.length > 0 || (username !== undefined) !== (credential !== undefined)) return null;
    const parsed = IceServer.safeParse({ urls: [url], ...(username ? { username, credential } : {}) });
    if (!parsed.success) return null;
    servers.push(parsed.data);
  }
  return servers.length <= 8 ? servers : null;
}

export function formatIceServers(servers: IceServer[]): string {
  return servers
    .flatMap((server) =>
      server.urls.map((url) =>
        server.username ? `${url} ${server.username} ${server.credential ?? ''}` : url,
      ),
    )
    .join('\n');
}
