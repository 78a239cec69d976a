import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Platform } from '../../../shared/domain';

/** Which shop the order came from: a neutral outlined tag, so it never competes with the status. */
export function PlatformBadge({ platform }: { platform: Platform }) {
  const { t } = useTranslation();
  return (
    <Tag variant="outlined" className="platform-badge" data-platform={platform}>
      {t(`platform.${platform}`)}
    </Tag>
  );
}
