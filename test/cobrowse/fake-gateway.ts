import { ws } from 'msw';
import { setupServer } from 'msw/node';
import { expect, vi } from 'vitest';
import {
  CustomerFrame,
  type GatewayToCustomerFrame,
  type MaskingPolicy,
} from '../../src/shared/cobrowse-protocol';
import { CobrowseSession, type SessionEnvironment } from '../../src/cobrowse/session';
import { policy } from './helpers';

export const GATEWAY_URL = 'ws://gateway.test/v1/cobrowse';

type Resumed = Omit<Extract<GatewayToCustomerFrame, { type: 'resumed' }>, 'type'>;
interface Client {
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/**
 * A co-browse room as the snippet sees it (msw's websocket mock): answers `hello` with a code
 * and `resume` with what the test set, keeps every frame the snippet sent (each checked against
 * the shared schema), and sends what the test says.
 */
export class FakeGateway {
  readonly link = ws.link(GATEWAY_URL);
  readonly server = setupServer();
  /** Every frame the snippet sent, as text (what would leave the browser). */
  readonly raw: string[] = [];
  readonly frames: CustomerFrame[] = [];
  connections = 0;
  resumeWith: Resumed = { agent: null, consent: [], masking: null };
  private client: Client | null = null;

  constructor() {
    this.server.use(
      this.link.addEventListener('connection', ({ client }) => {
        this.client = client;
        this.connections++;
        client.addEventListener('message', (event) => {
          const text = String(event.data);
          this.raw.push(text);
          const frame = CustomerFrame.parse(JSON.parse(text));
          this.frames.push(frame);
          if (frame.type === 'hello') {
            this.send({
              type: 'code',
              code: '482913',
              expiresAt: new Date(Date.now() + 600_000).toISOString(),
              sessionId: 'session-1',
              resumeToken: 'resume-token-1',
            });
          } else if (frame.type === 'resume') {
            this.send({ type: 'resumed', ...this.resumeWith });
          }
        });
      }),
    );
    this.server.listen({ onUnhandledRequest: 'error' });
  }

  send(frame: GatewayToCustomerFrame): void {
    this.sendRaw(JSON.stringify(frame));
  }

  sendRaw(data: string): void {
    this.client?.send(data);
  }

  /** Drops the snippet's connection as a network would. */
  drop(): void {
    this.client?.close(1011, 'gone');
  }

  agent(message: Extract<GatewayToCustomerFrame, { type: 'agent' }>['message']): void {
    this.send({ type: 'agent', message });
  }

  of<T extends CustomerFrame['type']>(type: T): Extract<CustomerFrame, { type: T }>[] {
    return this.frames.filter((frame): frame is Extract<CustomerFrame, { type: T }> => frame.type === type);
  }

  async waitFor<T extends CustomerFrame['type']>(
    type: T,
    match: (frame: Extract<CustomerFrame, { type: T }>) => boolean = () => true,
  ): Promise<Extract<CustomerFrame, { type: T }>> {
    return vi.waitFor(() => {
      const found = this.of(type).find(match);
      expect(found, `a ${type} frame`).toBeDefined();
      return found!;
    });
  }

  close(): void {
    this.server.close();
  }
}

export function startSession(overrides: Partial<SessionEnvironment> = {}): CobrowseSession {
  return new CobrowseSession({
    window,
    gatewayUrl: GATEWAY_URL,
    lang: 'en',
    shadowMode: 'open',
    random: () => 0,
    ...overrides,
  });
}

export function button(session: CobrowseSession, action: string): HTMLButtonElement | null {
  return session.ui.root.querySelector<HTMLButtonElement>(`button[data-action="${action}"]`);
}

export async function press(session: CobrowseSession, action: string): Promise<void> {
  const found = await vi.waitFor(() => {
    const element = button(session, action);
    expect(element, `the ${action} button`).not.toBeNull();
    return element!;
  });
  found.click();
}

export function uiText(session: CobrowseSession): string {
  return session.ui.root.textContent ?? '';
}

/** Help, code, an agent joins with `masking`, the customer allows the view. */
export async function goLive(
  gateway: FakeGateway,
  session: CobrowseSession,
  masking: MaskingPolicy = policy(),
): Promise<void> {
  await press(session, 'help');
  await vi.waitFor(() => expect(uiText(session)).toContain('482913'));
  gateway.send({ type: 'agent-joined', agent: { displayName: 'Agent Chen' }, masking });
  await press(session, 'allow');
  await gateway.waitFor('consent', (frame) => frame.level === 'view' && frame.granted);
  await vi.waitFor(() => expect(gateway.of('events').length + gateway.of('chunk').length).toBeGreaterThan(0));
}

/** Asks for and allows a consent level. */
export async function grant(gateway: FakeGateway, session: CobrowseSession, level: 'scroll' | 'control') {
  gateway.agent({ type: 'consent-request', level });
  await press(session, 'allow');
  await gateway.waitFor('consent', (frame) => frame.level === level && frame.granted);
}
