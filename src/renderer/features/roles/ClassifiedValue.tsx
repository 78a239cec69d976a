import { EyeOutlined, LockOutlined, UnlockOutlined } from '@ant-design/icons';
import { Button, Tooltip } from 'antd';
import { createContext, useContext, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import './roles.css';
import type { Visibility, WithholdableField } from '../../../shared/visibility';
import { RevealDialog } from './RevealDialog';

interface RevealScope {
  orderId: string;
  visibility: Visibility | undefined;
  /** Values revealed for this order, in memory only (gone when another order opens). */
  revealed: Partial<Record<WithholdableField, string | null>>;
  setRevealed: (field: WithholdableField, value: string | null) => void;
  /** The editor's preview: shows masks but offers no reveal. */
  preview: boolean;
}

const RevealContext = createContext<RevealScope | null>(null);

/** Holds what was revealed for one order; remount it (key = order id) to forget. */
export function RevealScopeProvider({
  orderId,
  visibility,
  preview = false,
  children,
}: {
  orderId: string;
  visibility: Visibility | undefined;
  preview?: boolean;
  children: ReactNode;
}) {
  const [revealed, setAll] = useState<RevealScope['revealed']>({});
  const scope: RevealScope = {
    orderId,
    visibility,
    revealed,
    setRevealed: (field, value) => setAll((current) => ({ ...current, [field]: value })),
    preview,
  };
  return <RevealContext.Provider value={scope}>{children}</RevealContext.Provider>;
}

export type FieldState = 'full' | 'masked' | 'hidden' | 'revealed';

export function useFieldState(field: WithholdableField, value: unknown): FieldState {
  const scope = useContext(RevealContext);
  const visibility = scope?.visibility;
  if (scope && field in scope.revealed) return 'revealed';
  if (visibility?.hidden.includes(field) || value === undefined) return 'hidden';
  if (visibility?.masked.includes(field)) return 'masked';
  return 'full';
}

/**
 * One classified value as the role receives it: in full; masked with a lock (and a Reveal
 * button where the role may reveal it); revealed for this order; or "not available to your role".
 */
export function ClassifiedValue({
  field,
  value,
  label,
  display = (text) => text,
}: {
  field: WithholdableField;
  value: string | undefined;
  label: string;
  display?: (value: string) => ReactNode;
}) {
  const { t } = useTranslation();
  const scope = useContext(RevealContext);
  const state = useFieldState(field, value);
  const [asking, setAsking] = useState(false);
  const testId = `field-${field}`;

  if (state === 'revealed') {
    const shown = scope!.revealed[field];
    return (
      <span className="classified classified-revealed" data-testid={testId} data-state="revealed">
        {shown ? display(shown) : t('roleViews.reveal.empty')}{' '}
        <Tooltip title={t('roleViews.revealedHint')}>
          <UnlockOutlined aria-label={t('roleViews.revealedHint')} className="classified-icon" />
        </Tooltip>
      </span>
    );
  }
  if (state === 'hidden') {
    return (
      <span className="classified classified-hidden" data-testid={testId} data-state="hidden">
        {t('visibility.hidden')}
      </span>
    );
  }
  if (state === 'full') {
    return (
      <span data-testid={testId} data-state="full">
        {display(value!)}
      </span>
    );
  }
  const revealable = !!scope && !scope.preview && !!scope.visibility?.revealable.includes(field);
  // Masked: a lock; revealable: an eye button in its place (quiet in a dense panel, one per field).
  return (
    <span className="classified classified-masked" data-testid={testId} data-state="masked">
      {value}{' '}
      {revealable ? (
        <Tooltip title={t('roleViews.reveal.title', { field: label })}>
          <Button
            size="small"
            type="text"
            icon={<EyeOutlined />}
            className="classified-reveal"
            aria-label={t('roleViews.reveal.title', { field: label })}
            onClick={() => setAsking(true)}
            data-testid={`reveal-${field}`}
          />
        </Tooltip>
      ) : (
        <Tooltip title={t('roleViews.maskedHint')}>
          <LockOutlined aria-label={t('roleViews.maskedHint')} className="classified-icon" />
        </Tooltip>
      )}
      {asking && scope ? (
        <RevealDialog
          orderId={scope.orderId}
          field={field}
          label={label}
          onRevealed={(revealed) => scope.setRevealed(field, revealed)}
          onClose={() => setAsking(false)}
        />
      ) : null}
    </span>
  );
}
