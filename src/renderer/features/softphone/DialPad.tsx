import { Button } from 'antd';
import { useTranslation } from 'react-i18next';

export const DIAL_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

/** Twelve keys; each press sends one DTMF tone on the current call. */
export function DialPad({ onKey }: { onKey: (key: string) => void }) {
  const { t } = useTranslation();
  return (
    <div className="dial-pad" role="group" aria-label={t('softphone.keypad')}>
      {DIAL_KEYS.map((key) => (
        <Button key={key} onClick={() => onKey(key)} data-testid={`dial-key-${key}`}>
          {key}
        </Button>
      ))}
    </div>
  );
}
