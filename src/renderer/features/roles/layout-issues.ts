import type { Role } from '../../../shared/domain';
import { RoleViewLayout, layoutProblems } from '../../../shared/role-views';
import { ROLE_ACTIONS } from '../../../shared/rules/role-permissions';
import type { ActionType } from '../../../shared/rules/types';

export type LayoutIssue =
  | { kind: 'noPanelVisible' }
  | { kind: 'defaultPanelHidden' }
  | { kind: 'noFieldVisible' }
  | { kind: 'action_not_allowed'; action: ActionType }
  | { kind: 'invalid'; detail: string };

/**
 * What is wrong with a draft layout, as things the editor can say in words. The shared schema
 * (which the gateway applies again) stays the last word: anything it refuses beyond these shows
 * as 'invalid' with its message.
 */
export function layoutIssues(role: Role, layout: RoleViewLayout): LayoutIssue[] {
  const issues: LayoutIssue[] = [];
  if (!layout.panels.some((panel) => panel.visible)) issues.push({ kind: 'noPanelVisible' });
  else if (!layout.panels.some((panel) => panel.id === layout.defaultPanel && panel.visible)) {
    issues.push({ kind: 'defaultPanelHidden' });
  }
  const overviewShown = layout.panels.some((panel) => panel.id === 'overview' && panel.visible);
  if (overviewShown && !layout.overviewFields.some((field) => field.visible))
    issues.push({ kind: 'noFieldVisible' });
  for (const action of layout.actions) {
    if (!ROLE_ACTIONS[role].includes(action)) issues.push({ kind: 'action_not_allowed', action });
  }
  if (issues.length === 0) {
    const parsed = RoleViewLayout.safeParse(layout);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) issues.push({ kind: 'invalid', detail: issue.message });
    } else if (layoutProblems(role, parsed.data).length > 0) {
      issues.push({ kind: 'invalid', detail: layoutProblems(role, parsed.data).join('; ') });
    }
  }
  return issues;
}
