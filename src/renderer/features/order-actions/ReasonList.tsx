import type { RuleReason } from '../../../shared/rules/types';
import { useReasonText } from '../../i18n/useReasonText';

/** Rule reasons as a short list of sentences in the agent's language. */
export function ReasonList({ reasons, testId }: { reasons: readonly RuleReason[]; testId?: string }) {
  const reasonText = useReasonText();
  if (reasons.length === 0) return null;
  return (
    <ul className="reason-list" data-testid={testId}>
      {reasons.map((reason, index) => (
        <li key={`${reason.code}:${index}`} data-code={reason.code}>
          {reasonText(reason)}
        </li>
      ))}
    </ul>
  );
}
