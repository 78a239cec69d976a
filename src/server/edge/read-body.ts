import type { IncomingMessage } from 'node:http';

/**
 * A request's connection closed before its body had arrived: cut by the request timeout, or the
 * client went away. Nothing can be answered on it any more.
 */
export class RequestCutError extends Error {
  constructor(cause: unknown) {
    super('The request was cut before its body arrived', { cause });
    this.name = 'RequestCutError';
  }
}

/**
 * The raw body, or null as soon as it is known to exceed `limit` bytes. Throws RequestCutError
 * when the connection closes first, so that a trickled body stops being read when the request
 * timeout cuts it.
 */
export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | null> {
  if (Number(request.headers['content-length'] ?? 0) > limit) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) return null;
      chunks.push(chunk);
    }
  } catch (err) {
    // An IncomingMessage fails only when its connection closes before the end ('aborted').
    throw new RequestCutError(err);
  }
  return Buffer.concat(chunks);
}
