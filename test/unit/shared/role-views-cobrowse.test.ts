import { describe, expect, it } from 'vitest';
import { ROLES } from '../../../src/shared/domain';
import {
  DEFAULT_ROLE_LAYOUTS,
  RoleViewLayout,
  layoutProblems,
  mayCobrowse,
} from '../../../src/shared/role-views';

describe('role views: co-browse (assist.cobrowse)', () => {
  it('is on by default for the roles that talk to customers, off for admin', () => {
    const allowed = ROLES.filter((role) => mayCobrowse(role, DEFAULT_ROLE_LAYOUTS[role]));
    expect(allowed).toEqual(['frontline', 'logistics', 'after_sales', 'supervisor']);
  });

  it('keeps a view saved before assist existed valid, with the role’s default', () => {
    const { assist: _assist, ...stored } = DEFAULT_ROLE_LAYOUTS.logistics;
    const parsed = RoleViewLayout.parse(stored);
    expect(parsed.assist).toBeUndefined();
    expect(mayCobrowse('logistics', parsed)).toBe(true);
    expect(
      mayCobrowse('admin', RoleViewLayout.parse({ ...DEFAULT_ROLE_LAYOUTS.admin, assist: undefined })),
    ).toBe(false);
  });

  it('lets a view switch it off for its role, never on for admin', () => {
    const off = { ...DEFAULT_ROLE_LAYOUTS.frontline, assist: { cobrowse: false } };
    expect(mayCobrowse('frontline', off)).toBe(false);
    expect(layoutProblems('frontline', off)).toEqual([]);
    const adminOn = { ...DEFAULT_ROLE_LAYOUTS.admin, assist: { cobrowse: true } };
    expect(layoutProblems('admin', adminOn)).toEqual(['the admin role may not co-browse']);
    expect(mayCobrowse('admin', adminOn)).toBe(false);
  });

  it('refuses unknown keys under assist', () => {
    const extra = { ...DEFAULT_ROLE_LAYOUTS.frontline, assist: { cobrowse: true, screenShare: true } };
    expect(RoleViewLayout.safeParse(extra).success).toBe(false);
  });
});
