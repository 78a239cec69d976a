import { Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Shipment } from '../../../shared/domain';
import { useFormat } from '../../i18n/useFormat';
import { ShipmentStatusTag } from './StatusTag';

/** Every parcel: carrier, tracking number (one click to copy) and its scans, newest first. */
export function OrderLogisticsPane({ shipments }: { shipments: readonly Shipment[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (shipments.length === 0) {
    return <Typography.Text type="secondary">{t('orderDetail.noShipments')}</Typography.Text>;
  }
  return (
    <div className="logistics-pane">
      {shipments.map((shipment) => (
        <section key={shipment.id} className="shipment" data-testid="order-detail-shipment">
          <div className="shipment-head">
            <span className="shipment-carrier">{shipment.carrier}</span>
            <Typography.Text
              copyable={{
                text: shipment.trackingNumber,
                tooltips: [t('orderDetail.copyTracking'), t('orderDetail.copied')],
              }}
              aria-label={t('orderDetail.trackingNumber')}
              data-testid="shipment-tracking-number"
            >
              {shipment.trackingNumber}
            </Typography.Text>
            <ShipmentStatusTag status={shipment.status} />
          </div>
          {shipment.events.length === 0 ? (
            <Typography.Text type="secondary">{t('orderDetail.noEvents')}</Typography.Text>
          ) : (
            <Timeline
              className="shipment-timeline"
              items={[...shipment.events]
                .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
                .map((event) => ({
                  key: `${event.at}:${event.status}`,
                  color:
                    event.status === 'exception' ? 'red' : event.status === 'delivered' ? 'green' : 'blue',
                  content: (
                    <div className="shipment-event">
                      <span className="shipment-event-time">{format.dateTime(event.at)}</span>
                      {event.location ? <span>{event.location}</span> : null}
                      <span>{event.description}</span>
                    </div>
                  ),
                }))}
            />
          )}
        </section>
      ))}
    </div>
  );
}
