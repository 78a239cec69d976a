import type { Statement } from 'better-sqlite3';
import type { AgentUser, Role } from '../../shared/domain';
import { DeskError } from '../../shared/errors';
import { RoleViewLayout, defaultRoleView, layoutProblems, type RoleView } from '../../shared/role-views';
import { ROLES } from '../../shared/domain';
import type { SqliteAuditLog } from '../audit/sqlite-audit-log';
import type { SqliteDatabase } from '../db/open-database';

interface RoleViewRow {
  role: string;
  layout_json: string;
  version: number;
  updated_at: string;
  updated_by: string;
}

/** Where the rules and the login read a role's view from. */
export interface RoleViewSource {
  viewOf(role: Role): RoleView;
}

/**
 * Role views as admins saved them (table role_views); the built-in default where none was.
 * Reads are synchronous (better-sqlite3) and small: the rules read a role's limits per action.
 */
export class SqliteRoleViews implements RoleViewSource {
  private readonly selectOne: Statement<[string], RoleViewRow>;
  private readonly upsert: Statement;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly audit: SqliteAuditLog,
    private readonly now: () => number = Date.now,
  ) {
    this.selectOne = db.prepare('SELECT * FROM role_views WHERE role = ?');
    this.upsert = db.prepare(`
      INSERT INTO role_views (role, layout_json, version, updated_at, updated_by)
      VALUES (@role, @layoutJson, @version, @updatedAt, @updatedBy)
      ON CONFLICT (role) DO UPDATE SET layout_json = excluded.layout_json,
        version = excluded.version, updated_at = excluded.updated_at, updated_by = excluded.updated_by`);
  }

  viewOf(role: Role): RoleView {
    const row = this.selectOne.get(role);
    if (!row) return defaultRoleView(role);
    // Stored layouts were validated on save; one that no longer parses (the schema moved on)
    // falls back to the default rather than locking the role out.
    const layout = RoleViewLayout.safeParse(JSON.parse(row.layout_json));
    if (!layout.success) return defaultRoleView(role);
    return {
      role,
      layout: layout.data,
      version: row.version,
      updatedAt: row.updated_at,
      updatedBy: row.updated_by,
    };
  }

  list(): RoleView[] {
    return ROLES.map((role) => this.viewOf(role));
  }

  /**
   * Saves `layout` for `role` if the stored view is still at `expectedVersion`; audited
   * ('view.save', with which parts changed) in the same transaction.
   */
  save(role: Role, expectedVersion: number, layout: RoleViewLayout, admin: AgentUser): RoleView {
    const problems = layoutProblems(role, layout);
    if (problems.length > 0) {
      throw new DeskError('BAD_REQUEST', `The ${role} view cannot be saved: ${problems.join('; ')}`);
    }
    return this.db
      .transaction((): RoleView => {
        const current = this.viewOf(role);
        if (current.version !== expectedVersion) {
          throw new DeskError(
            'VERSION_CONFLICT',
            `The ${role} view is at version ${current.version}, not ${expectedVersion}: reload it`,
          );
        }
        const saved: RoleView = {
          role,
          layout,
          version: current.version + 1,
          updatedAt: new Date(this.now()).toISOString(),
          updatedBy: admin.displayName,
        };
        this.upsert.run({
          role,
          layoutJson: JSON.stringify(layout),
          version: saved.version,
          updatedAt: saved.updatedAt,
          updatedBy: admin.displayName,
        });
        this.audit.append(this.db, {
          actor: admin.id,
          action: 'view.save',
          target: role,
          details: { version: saved.version, changed: changedParts(current.layout, layout) },
        });
        return saved;
      })
      .immediate();
  }
}

/** Which parts of the layout a save changed, e.g. ['panels', 'limits']: the audit's diff summary. */
function changedParts(before: RoleViewLayout, after: RoleViewLayout): string[] {
  return (Object.keys(after) as (keyof RoleViewLayout)[]).filter(
    (part) => JSON.stringify(before[part]) !== JSON.stringify(after[part]),
  );
}
