import { Select } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface DeviceSelectProps {
  kind: 'audioinput' | 'audiooutput';
  value?: string | null;
  onChange?: (value: string | null) => void;
}

/** The system's audio devices of one kind; "System default" is null. Follows plugging in and out. */
export function DeviceSelect({ kind, value = null, onChange }: DeviceSelectProps) {
  const { t } = useTranslation();
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);

  useEffect(() => {
    const media = navigator.mediaDevices;
    if (!media) return;
    const load = () =>
      media.enumerateDevices().then(
        (all) => setDevices(all.filter((device) => device.kind === kind && device.deviceId !== 'default')),
        () => setDevices([]),
      );
    void load();
    media.addEventListener('devicechange', load);
    return () => media.removeEventListener('devicechange', load);
  }, [kind]);

  const known = value === null || devices.some((device) => device.deviceId === value);
  return (
    <Select<string>
      value={value ?? ''}
      onChange={(next) => onChange?.(next === '' ? null : next)}
      options={[
        { value: '', label: t('settings.systemDefault') },
        ...devices.map((device, index) => ({
          value: device.deviceId,
          label: device.label || t('settings.unnamedDevice', { n: index + 1 }),
        })),
        ...(known ? [] : [{ value: value!, label: t('settings.missingDevice') }]),
      ]}
    />
  );
}
