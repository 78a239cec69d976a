import { Table, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrderItem } from '../../../shared/domain';
import { useFormat } from '../../i18n/useFormat';

type ItemRow = OrderItem & { key: string };

export function OrderItemsTable({ items }: { items: readonly OrderItem[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  // The same SKU can appear twice (e.g. a gift line), so the position is part of the key.
  const rows: ItemRow[] = items.map((item, index) => ({ ...item, key: `${index}:${item.sku}` }));
  const columns: TableColumnsType<ItemRow> = [
    { key: 'sku', dataIndex: 'sku', title: t('orderDetail.sku'), width: 140, ellipsis: true },
    { key: 'title', dataIndex: 'title', title: t('orderDetail.title'), ellipsis: true },
    { key: 'qty', dataIndex: 'qty', title: t('orderDetail.qty'), width: 64, align: 'right' },
    {
      key: 'unitPrice',
      title: t('orderDetail.unitPrice'),
      width: 120,
      align: 'right',
      render: (_value, item) => format.money(item.unitPrice),
    },
  ];
  return <Table<ItemRow> size="small" columns={columns} dataSource={rows} pagination={false} />;
}
