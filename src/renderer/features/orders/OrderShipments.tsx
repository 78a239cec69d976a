import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Shipment, ShipmentEvent } from '../../../shared/domain';
import { useFormat } from '../../i18n/useFormat';
import { ShipmentStatusTag } from './StatusTag';

/** The event with the latest time: platforms do not agree on the order they list events in. */
function latestEvent(events: readonly ShipmentEvent[]): ShipmentEvent | undefined {
  return events.reduce<ShipmentEvent | undefined>(
    (latest, event) => (!latest || Date.parse(event.at) > Date.parse(latest.at) ? event : latest),
    undefined,
  );
}

export function OrderShipments({ shipments }: { shipments: readonly Shipment[] }) {
  const { t } = useTranslation();
  if (shipments.length === 0) {
    return <Typography.Text type="secondary">{t('orderDetail.noShipments')}</Typography.Text>;
  }
  return (
    <ul className="shipment-list">
      {shipments.map((shipment) => (
        <ShipmentLine key={shipment.id} shipment={shipment} />
      ))}
    </ul>
  );
}

function ShipmentLine({ shipment }: { shipment: Shipment }) {
  const { t } = useTranslation();
  const format = useFormat();
  const event = latestEvent(shipment.events);
  return (
    <li className="shipment" data-testid="order-detail-shipment">
      <div className="shipment-head">
        <span className="shipment-carrier">{shipment.carrier}</span>
        <Typography.Text
          copyable={{ text: shipment.trackingNumber }}
          aria-label={t('orderDetail.trackingNumber')}
        >
          {shipment.trackingNumber}
        </Typography.Text>
        <ShipmentStatusTag status={shipment.status} />
      </div>
      <div className="shipment-event">
        {event ? (
          <>
            <span className="shipment-event-time">{format.dateTime(event.at)}</span>
            {event.location && <span>{event.location}</span>}
            <span>{event.description}</span>
          </>
        ) : (
          <Typography.Text type="secondary">{t('orderDetail.noEvents')}</Typography.Text>
        )}
      </div>
    </li>
  );
}
