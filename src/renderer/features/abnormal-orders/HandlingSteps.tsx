import { useTranslation } from 'react-i18next';
import type { AbnormalType } from '../../../shared/abnormal';

/** The standard handling of one abnormal type, in words written for agents. */
export function HandlingSteps({ type }: { type: AbnormalType | null }) {
  const { t } = useTranslation();
  if (type === null) {
    return <p className="abnormal-steps-hint">{t('abnormal.handling.pickType')}</p>;
  }
  return (
    <section className="abnormal-steps" aria-labelledby="abnormal-steps-title" data-testid="abnormal-steps">
      <h3 id="abnormal-steps-title" className="abnormal-steps-title">
        {t('abnormal.handling.title', { type: t(`abnormal.typeNames.${type}`) })}
      </h3>
      <dl>
        {(['check', 'tell', 'escalate'] as const).map((step) => (
          <div key={step} className="abnormal-step">
            <dt>{t(`abnormal.handling.${step}`)}</dt>
            <dd>{t(`abnormal.steps.${type}.${step}`)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
