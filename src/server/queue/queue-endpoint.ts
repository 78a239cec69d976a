import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { DeskError } from '../../shared/errors';
import { readBody } from '../edge/read-body';
import type { QueueAnnouncements } from './queue-announcements';

export const QUEUE_ANNOUNCE_PATH = '/v1/queue/announce';
/** 50 callers with every field at its longest stay far below this. */
export const MAX_QUEUE_BODY_BYTES = 64 * 1024;

export interface QueueEndpointOutcome {
  httpStatus: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/**
 * `POST /v1/queue/announce`: the ACD/PBX (or an IVR script) says who waits in a queue. It signs
 * with a shared secret as `Authorization: Bearer <secret>`; nothing is read beyond the size cap
 * and nothing is parsed before the secret checks out.
 */
export class QueueEndpoint {
  private readonly secretDigest: Buffer;

  constructor(private readonly deps: { announcements: QueueAnnouncements; secret: string; logger: Logger }) {
    this.secretDigest = digest(deps.secret);
  }

  /** `from`: the client's address (the peer, or what a trusted proxy forwarded), for logs. */
  async receive(request: IncomingMessage, from: string): Promise<QueueEndpointOutcome> {
    if (request.method !== 'POST') {
      return { ...failure(405, 'BAD_REQUEST', 'Use POST'), headers: { allow: 'POST' } };
    }
    if (!this.authorized(request.headers.authorization)) {
      this.deps.logger.warn({ from }, 'queue announcement refused');
      return failure(401, 'UNAUTHENTICATED', 'Missing or invalid bearer secret');
    }
    const body = await readBody(request, MAX_QUEUE_BODY_BYTES);
    // The rest of an oversize body is not read: the connection cannot carry another request.
    if (body === null) {
      return {
        ...failure(413, 'BAD_REQUEST', `Body over ${MAX_QUEUE_BODY_BYTES} bytes`),
        headers: { connection: 'close' },
      };
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return failure(400, 'BAD_REQUEST', 'The body is not JSON');
    }
    try {
      const outcome = await this.deps.announcements.announce(json);
      return { httpStatus: 200, body: { status: 'announced', ...outcome } };
    } catch (err) {
      if (!(err instanceof DeskError)) throw err;
      if (err.code === 'BAD_REQUEST') return failure(400, err.code, err.message);
      if (err.code === 'RATE_LIMITED') {
        return { ...failure(429, err.code, err.message), headers: { 'retry-after': '1' } };
      }
      throw err;
    }
  }

  private authorized(header: string | undefined): boolean {
    const match = /^Bearer (.+)$/.exec(header ?? '');
    // Equal-length digests: the comparison takes the same time whatever was sent.
    return match !== null && timingSafeEqual(digest(match[1]!), this.secretDigest);
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function failure(httpStatus: number, code: string, message: string): QueueEndpointOutcome {
  return { httpStatus, body: { error: { code, message } } };
}
