import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentStateReporter } from '../../../src/main/services/agent-state/AgentStateReporter';
import { SessionService } from '../../../src/main/services/session/SessionService';
import { AgentStates } from '../../../src/server/agents/agent-states';
import type { Gateway } from '../../../src/server/gateway';
import { DEMO_LOGIN } from '../../../src/shared/demo';
import { AGENT_WS_PATH } from '../../../src/shared/protocol';
import { startTestGateway } from '../server/support/test-gateway';

describe('agent state reporting', () => {
  let gateway: Gateway;
  let wsUrl: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-state-'));
    gateway = await startTestGateway({ dbPath: join(dir, 'gateway.db'), demo: { orders: 50, seed: 1 } });
    wsUrl = `${gateway.url}${AGENT_WS_PATH}`;
  });
  afterAll(() => gateway.close());

  it('the real gateway accepts a signed-in desk’s state and refuses a malformed one', async () => {
    const session = new SessionService({ client: { name: 'test', version: '0' } });
    const errors: unknown[] = [];
    const reporter = new AgentStateReporter(session, (err) => errors.push(err));
    await reporter.report({ state: 'available', reason: null, since: new Date().toISOString() });
    expect(reporter.current?.state).toBe('available'); // kept while signed out, sent once online

    await session.login(wsUrl, DEMO_LOGIN.username, DEMO_LOGIN.password);
    await reporter.report({ state: 'away', reason: 'lunch', since: new Date().toISOString() });
    expect(errors).toEqual([]);
    await expect(
      session.request('agent.setState', { state: 'away', reason: null, since: new Date().toISOString() }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await session.logout();
    expect(reporter.current).toBeNull(); // nothing carries over to the next agent
    reporter.stop();
  });

  it('the gateway keeps the last state per agent', () => {
    const states = new AgentStates();
    states.record('usr_a', { state: 'available', reason: null, since: '2025-03-05T09:00:00.000Z' });
    states.record('usr_a', { state: 'on_call', reason: null, since: '2025-03-05T09:01:00.000Z' });
    states.record('usr_b', { state: 'away', reason: 'break', since: '2025-03-05T09:02:00.000Z' });
    expect(states.get('usr_a')?.state).toBe('on_call');
    expect(states.all()).toHaveLength(2);
  });
});
