import { describe, expect, it } from 'vitest';
import type { Session } from '../../../src/server/auth/auth-service';
import { requireRole } from '../../../src/server/auth/require-role';
import type { Role } from '../../../src/shared/domain';

function session(role: Role): Session {
  return {
    user: { id: 'usr_1', username: 'lin', displayName: '林小雨', role },
    expiresAtMs: Date.now() + 60_000,
    refreshFamilyId: 'rtf_1',
  };
}

describe('requireRole', () => {
  it('returns the user when the role is granted', () => {
    expect(requireRole(session('admin'), ['admin'], 'Managing users')).toMatchObject({
      username: 'lin',
      role: 'admin',
    });
    expect(requireRole(session('supervisor'), ['supervisor', 'admin'], 'Approving refunds').role).toBe(
      'supervisor',
    );
  });

  it('refuses other roles with FORBIDDEN, naming what was asked and what is needed', () => {
    expect(() => requireRole(session('frontline'), ['supervisor', 'admin'], 'Approving refunds')).toThrow(
      expect.objectContaining({
        code: 'FORBIDDEN',
        message: 'Approving refunds needs the role supervisor or admin; you are frontline',
      }),
    );
    for (const role of ['frontline', 'logistics', 'after_sales', 'supervisor'] as const) {
      expect(() => requireRole(session(role), ['admin'], 'Managing users')).toThrow(
        expect.objectContaining({ code: 'FORBIDDEN' }),
      );
    }
  });

  it('refuses no session with UNAUTHENTICATED', () => {
    expect(() => requireRole(null, ['admin'], 'Managing users')).toThrow(
      expect.objectContaining({ code: 'UNAUTHENTICATED' }),
    );
  });
});
