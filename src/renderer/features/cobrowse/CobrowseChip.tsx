import { GlobalOutlined } from '@ant-design/icons';
import { Button, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { selectCobrowse, selectCobrowseShowing, useCobrowseStore } from '../../stores/cobrowse';

/** Above the order search while a session goes on behind it: its state, and the way back. */
export function CobrowseChip() {
  const { t } = useTranslation();
  const session = useCobrowseStore(selectCobrowse);
  const showing = useCobrowseStore(selectCobrowseShowing);
  const show = useCobrowseStore((state) => state.show);
  if (!session || showing !== 'search') return null;
  const live = session.state === 'live';
  return (
    <div className="cobrowse-chip" data-testid="cobrowse-chip" data-state={session.state}>
      <Tag color={live ? 'success' : session.ended ? 'default' : 'processing'} icon={<GlobalOutlined />}>
        {t('cobrowse.chip', { state: t(`cobrowse.state.${session.state}`) })}
      </Tag>
      <Button size="small" type="link" onClick={() => show('replay')} data-testid="cobrowse-show-replay">
        {t('cobrowse.showReplay')}
      </Button>
    </div>
  );
}
