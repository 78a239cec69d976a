import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  Button,
  Checkbox,
  InputNumber,
  Segmented,
  Select,
  Spin,
  Switch,
  Tag,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import './roles.css';
import { ROLES, OrderStatus, RISK_FLAG_KINDS, type Role } from '../../../shared/domain';
import { DeskError } from '../../../shared/errors';
import {
  DEFAULT_ROLE_LAYOUTS,
  type RoleViewLayout,
  type OverviewFieldId,
  type PanelId,
  type RoleView,
} from '../../../shared/role-views';
import { ROLE_ACTIONS } from '../../../shared/rules/role-permissions';
import { ROLE_FIELD_POLICIES, visibleOrder } from '../../../shared/visibility';
import { desk } from '../../app/desk';
import { OrderDetail } from '../orders/OrderDetail';
import { move, visiblePanels } from './layout';
import { SAMPLE_ORDER } from './sample-order';
import { layoutIssues, type LayoutIssue } from './layout-issues';

const CURRENCIES = ['CNY', 'USD', 'GBP'] as const;

interface Draft {
  layout: RoleViewLayout;
  version: number;
  saved: RoleViewLayout;
}

/**
 * The admin's editor of a role's view: panels and overview fields (show, hide, reorder), the
 * opening panel, offered actions, refund ceilings and default filters, with a live preview of a
 * sample order through the same layout engine and the role's field visibility.
 */
export function ViewEditor() {
  const { t } = useTranslation();
  const { message, modal } = AntApp.useApp();
  const [role, setRole] = useState<Role>('logistics');
  const [drafts, setDrafts] = useState<Map<Role, Draft> | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const load = useCallback(
    () =>
      desk.views.list().then(
        ({ views }) => {
          setDrafts(new Map(views.map((view) => [view.role, toDraft(view)])));
          setLoadError(null);
        },
        (err: unknown) => setLoadError(t(`errors.${DeskError.from(err).code}`)),
      ),
    [t],
  );

  useEffect(() => {
    void load();
  }, [load]);

  // Another admin's save arrives live: take it where this admin has no unsaved edits.
  useEffect(
    () =>
      desk.on('view.changed', (view) =>
        setDrafts((current) => {
          if (!current) return current;
          const draft = current.get(view.role);
          if (draft && (draft.version >= view.version || !sameLayout(draft.layout, draft.saved)))
            return current;
          return new Map(current).set(view.role, toDraft(view));
        }),
      ),
    [],
  );

  const draft = drafts?.get(role);
  const issues = useMemo(() => (draft ? layoutIssues(role, draft.layout) : []), [role, draft]);
  const preview = useMemo(() => visibleOrder(SAMPLE_ORDER, ROLE_FIELD_POLICIES[role]), [role]);

  if (loadError) {
    return (
      <div className="view-editor" data-testid="view-editor">
        <Alert
          type="error"
          showIcon
          title={t('roleViews.editor.loadFailed', { reason: loadError })}
          action={<Button onClick={() => void load()}>{t('roleViews.retry')}</Button>}
        />
      </div>
    );
  }
  if (!drafts || !draft) {
    return (
      <div className="view-editor" data-testid="view-editor">
        <Spin />
      </div>
    );
  }

  const update = (change: (layout: RoleViewLayout) => RoleViewLayout) => {
    setSaveError(null);
    setDrafts(new Map(drafts).set(role, { ...draft, layout: change(draft.layout) }));
  };
  const { layout } = draft;
  const dirty = !sameLayout(layout, draft.saved);

  const save = async () => {
    if (issues.length > 0 || saving) return;
    setSaving(true);
    setSaveError(null);
    try {
      const saved = await desk.views.save({ role, expectedVersion: draft.version, layout });
      setDrafts((current) => new Map(current).set(role, toDraft(saved)));
      void message.success(t('roleViews.editor.saved', { role: t(`roles.${role}`) }));
    } catch (err) {
      const error = DeskError.from(err);
      if (error.code === 'VERSION_CONFLICT') {
        modal.confirm({
          title: t('roleViews.editor.conflictTitle'),
          content: t('roleViews.editor.conflictText'),
          okText: t('roleViews.editor.reload'),
          cancelText: t('roleViews.cancel'),
          onOk: () => load(),
        });
      } else {
        setSaveError(error.code === 'BAD_REQUEST' ? error.message : t(`errors.${error.code}`));
      }
    } finally {
      setSaving(false);
    }
  };

  const panelLabel = (id: PanelId) => t(`workspace.tabs.${id}`);
  const fieldLabel = (id: OverviewFieldId) => t(`roleViews.fields.${fieldKey(id)}`);

  return (
    <div className="view-editor" data-testid="view-editor">
      <section className="view-editor-form" aria-label={t('roleViews.editor.title')}>
        <header className="view-editor-header">
          <h2>{t('roleViews.editor.title')}</h2>
          <Segmented
            size="small"
            value={role}
            onChange={(value) => setRole(value as Role)}
            options={ROLES.map((value) => ({ value, label: t(`roles.${value}`) }))}
            data-testid="view-editor-role"
          />
        </header>
        <div className="view-editor-meta">
          {t('roleViews.editor.version', { version: draft.version })}
          {dirty ? <Tag color="orange">{t('roleViews.editor.unsaved')}</Tag> : null}
        </div>

        <div className="view-editor-columns">
          <OrderedList
            title={t('roleViews.editor.panels')}
            testId="editor-panels"
            entries={layout.panels}
            label={panelLabel}
            onChange={(panels) => update((current) => ({ ...current, panels }))}
          />
          <OrderedList
            title={t('roleViews.editor.fields')}
            testId="editor-fields"
            entries={layout.overviewFields}
            label={fieldLabel}
            onChange={(overviewFields) => update((current) => ({ ...current, overviewFields }))}
          />
        </div>

        <div className="view-editor-row">
          <label htmlFor="view-editor-default-panel">{t('roleViews.editor.defaultPanel')}</label>
          <Select
            id="view-editor-default-panel"
            size="small"
            className="view-editor-select"
            value={layout.defaultPanel}
            onChange={(defaultPanel: PanelId) => update((current) => ({ ...current, defaultPanel }))}
            options={visiblePanels(layout).map((id) => ({ value: id, label: panelLabel(id) }))}
            data-testid="editor-default-panel"
          />
        </div>

        <fieldset className="view-editor-group">
          <legend>{t('roleViews.editor.actions')}</legend>
          {ROLE_ACTIONS[role].length === 0 ? t('roleViews.editor.noActions') : null}
          {ROLE_ACTIONS[role].map((action) => (
            <Checkbox
              key={action}
              checked={layout.actions.includes(action)}
              onChange={(event) =>
                update((current) => ({
                  ...current,
                  actions: event.target.checked
                    ? ROLE_ACTIONS[role].filter((a) => a === action || current.actions.includes(a))
                    : current.actions.filter((a) => a !== action),
                }))
              }
              data-testid={`editor-action-${action}`}
            >
              {t(`actions.names.${action}`)}
            </Checkbox>
          ))}
        </fieldset>

        <fieldset className="view-editor-group">
          <legend>{t('roleViews.editor.refundCeilings')}</legend>
          <Switch
            size="small"
            checked={!!layout.limits.refundUnlimited}
            onChange={(refundUnlimited) =>
              update((current) => ({
                ...current,
                limits: {
                  ...current.limits,
                  ...(refundUnlimited ? { refundUnlimited } : { refundUnlimited: false }),
                },
              }))
            }
            aria-label={t('roleViews.editor.unlimited')}
          />{' '}
          {t('roleViews.editor.unlimited')}
          {layout.limits.refundUnlimited ? null : (
            <div className="view-editor-ceilings">
              {CURRENCIES.map((currency) => {
                const minor = layout.limits.refundCeiling[currency];
                return (
                  <label key={currency} className="view-editor-ceiling">
                    <span>{currency}</span>
                    <InputNumber
                      size="small"
                      min={0}
                      precision={2}
                      placeholder={t('roleViews.editor.noRefunds')}
                      value={minor === undefined ? null : minor / 100}
                      onChange={(value) =>
                        update((current) => {
                          const refundCeiling = { ...current.limits.refundCeiling };
                          if (value === null || value === undefined) delete refundCeiling[currency];
                          else refundCeiling[currency] = Math.round(Number(value) * 100);
                          return { ...current, limits: { ...current.limits, refundCeiling } };
                        })
                      }
                      data-testid={`editor-ceiling-${currency}`}
                    />
                  </label>
                );
              })}
            </div>
          )}
        </fieldset>

        <fieldset className="view-editor-group">
          <legend>{t('roleViews.editor.defaultFilters')}</legend>
          <div className="view-editor-row">
            <label htmlFor="view-editor-statuses">{t('roleViews.editor.statuses')}</label>
            <Select
              id="view-editor-statuses"
              mode="multiple"
              size="small"
              allowClear
              className="view-editor-select"
              value={layout.defaultFilters.statuses ?? []}
              onChange={(statuses: OrderStatus[]) =>
                update((current) => ({
                  ...current,
                  defaultFilters: withList(current.defaultFilters, 'statuses', statuses),
                }))
              }
              options={OrderStatus.options.map((value) => ({ value, label: t(`orderStatus.${value}`) }))}
            />
          </div>
          <div className="view-editor-row">
            <label htmlFor="view-editor-abnormal">{t('roleViews.editor.abnormalKinds')}</label>
            <Select
              id="view-editor-abnormal"
              mode="multiple"
              size="small"
              allowClear
              className="view-editor-select"
              value={layout.defaultFilters.abnormalKinds ?? []}
              onChange={(kinds: Array<(typeof RISK_FLAG_KINDS)[number]>) =>
                update((current) => ({
                  ...current,
                  defaultFilters: withList(current.defaultFilters, 'abnormalKinds', kinds),
                }))
              }
              options={RISK_FLAG_KINDS.map((value) => ({ value, label: t(`riskFlag.${value}`) }))}
            />
          </div>
        </fieldset>

        {issues.length > 0 ? (
          <Alert
            type="error"
            showIcon
            data-testid="editor-issues"
            title={t('roleViews.editor.invalid')}
            description={
              <ul className="view-editor-issues">
                {issues.map((issue) => (
                  <li key={issueKey(issue)}>{issueText(issue, t)}</li>
                ))}
              </ul>
            }
          />
        ) : null}
        {saveError ? <Alert type="error" showIcon title={saveError} data-testid="editor-save-error" /> : null}

        <footer className="view-editor-footer">
          <Button
            type="primary"
            onClick={() => void save()}
            loading={saving}
            disabled={issues.length > 0 || !dirty}
            data-testid="editor-save"
          >
            {t('roleViews.editor.save')}
          </Button>
          <Button
            onClick={() => update(() => structuredClone(DEFAULT_ROLE_LAYOUTS[role]))}
            data-testid="editor-reset"
          >
            {t('roleViews.editor.reset')}
          </Button>
          {dirty ? (
            <Button type="text" onClick={() => update(() => draft.saved)}>
              {t('roleViews.editor.discard')}
            </Button>
          ) : null}
        </footer>
      </section>

      <section
        className="view-editor-preview"
        aria-label={t('roleViews.editor.preview')}
        data-testid="editor-preview"
      >
        <h3 className="view-editor-preview-title">
          {t('roleViews.editor.preview')} · {t(`roles.${role}`)}
        </h3>
        {issues.length > 0 ? null : <OrderDetail order={preview} layout={layout} preview />}
      </section>
    </div>
  );
}

/** A list of ids with a visibility tick and up/down buttons (keyboard: Tab to them, Enter/Space). */
function OrderedList<T extends string>({
  title,
  testId,
  entries,
  label,
  onChange,
}: {
  title: string;
  testId: string;
  entries: Array<{ id: T; visible: boolean }>;
  label: (id: T) => string;
  onChange: (entries: Array<{ id: T; visible: boolean }>) => void;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="view-editor-group view-editor-list" data-testid={testId}>
      <legend>{title}</legend>
      <ol>
        {entries.map((entry, index) => (
          <li key={entry.id} data-testid={`${testId}-${entry.id}`} data-visible={entry.visible}>
            <Checkbox
              checked={entry.visible}
              onChange={(event) =>
                onChange(
                  entries.map((candidate) =>
                    candidate.id === entry.id ? { ...candidate, visible: event.target.checked } : candidate,
                  ),
                )
              }
              data-testid={`${testId}-${entry.id}-visible`}
            >
              {label(entry.id)}
            </Checkbox>
            <span className="view-editor-move">
              <Button
                size="small"
                type="text"
                icon={<ArrowUpOutlined />}
                disabled={index === 0}
                aria-label={t('roleViews.editor.moveUp', { name: label(entry.id) })}
                onClick={() => onChange(move(entries, index, -1))}
                data-testid={`${testId}-${entry.id}-up`}
              />
              <Button
                size="small"
                type="text"
                icon={<ArrowDownOutlined />}
                disabled={index === entries.length - 1}
                aria-label={t('roleViews.editor.moveDown', { name: label(entry.id) })}
                onClick={() => onChange(move(entries, index, 1))}
                data-testid={`${testId}-${entry.id}-down`}
              />
            </span>
          </li>
        ))}
      </ol>
    </fieldset>
  );
}

function toDraft(view: RoleView): Draft {
  return { layout: view.layout, version: view.version, saved: view.layout };
}

function sameLayout(a: RoleViewLayout, b: RoleViewLayout): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function withList<K extends 'statuses' | 'abnormalKinds'>(
  filters: RoleViewLayout['defaultFilters'],
  key: K,
  values: NonNullable<RoleViewLayout['defaultFilters'][K]>,
): RoleViewLayout['defaultFilters'] {
  const next = { ...filters };
  if (values.length === 0) delete next[key];
  else next[key] = values;
  return next;
}

/** i18n key of an overview field id ('customer.name' -> 'customerName'). */
function fieldKey(id: OverviewFieldId) {
  return id.replace(/\.(\w)/, (_, letter: string) => letter.toUpperCase()) as
    | 'customerName'
    | 'customerPhone'
    | 'customerEmail'
    | 'paymentMethod'
    | 'paymentAmount'
    | 'paymentStatus'
    | 'paymentPaidAt'
    | 'shippingFee'
    | 'shippingAddress'
    | 'items'
    | 'shipments';
}

function issueKey(issue: LayoutIssue): string {
  return 'action' in issue ? `${issue.kind}:${issue.action}` : issue.kind;
}

function issueText(issue: LayoutIssue, t: TFunction): string {
  switch (issue.kind) {
    case 'action_not_allowed':
      return t('roleViews.issues.actionNotAllowed', { action: t(`actions.names.${issue.action}`) });
    case 'invalid':
      return t('roleViews.issues.invalid', { detail: issue.detail });
    default:
      return t(`roleViews.issues.${issue.kind}`);
  }
}
