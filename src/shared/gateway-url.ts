/** The gateway speaks websockets: only ws:// and wss:// addresses with a host make sense. */
export function isGatewayUrl(value: string): boolean {
  try {
    const url = new URL(value.trim());
    return (url.protocol === 'ws:' || url.protocol === 'wss:') && url.hostname !== '';
  } catch {
    return false;
  }
}
