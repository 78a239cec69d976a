import { Button, Input, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Where to transfer: blind (REFER now) or consult first (attended). */
export function TransferPanel({
  onBlind,
  onConsult,
}: {
  onBlind: (target: string) => void;
  onConsult: (target: string) => void;
}) {
  const { t } = useTranslation();
  const [target, setTarget] = useState('');
  const valid = /^[A-Za-z0-9._+*#-]{1,64}$/.test(target.trim());
  return (
    <div className="transfer-panel">
      <Input
        autoFocus
        placeholder={t('softphone.transferTarget')}
        value={target}
        onChange={(event) => setTarget(event.target.value)}
        data-testid="transfer-target"
        spellCheck={false}
      />
      <Space size={4}>
        <Button disabled={!valid} onClick={() => onBlind(target.trim())} data-testid="transfer-blind">
          {t('softphone.transferBlind')}
        </Button>
        <Button disabled={!valid} onClick={() => onConsult(target.trim())} data-testid="transfer-consult">
          {t('softphone.transferConsult')}
        </Button>
      </Space>
    </div>
  );
}
