import { Checkbox, InputNumber, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrderItem } from '../../../shared/domain';
import { useFormat } from '../../i18n/useFormat';
import { useReplacementOptions } from './useReplacementOptions';

export interface PickedItem {
  sku: string;
  qty: number;
  picked: boolean;
  replacementSku: string;
}

export const initialPicks = (items: readonly OrderItem[]): PickedItem[] =>
  items.map((item) => ({ sku: item.sku, qty: item.qty, picked: true, replacementSku: item.sku }));

/** Which units the refund, return or exchange covers (and, for an exchange, what replaces them). */
export function ItemPicker({
  orderId,
  items,
  picks,
  onChange,
  withReplacement,
}: {
  orderId: string;
  items: readonly OrderItem[];
  picks: readonly PickedItem[];
  onChange: (picks: PickedItem[]) => void;
  withReplacement: boolean;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const replacements = useReplacementOptions(orderId, items, withReplacement);
  const update = (index: number, patch: Partial<PickedItem>) =>
    onChange(picks.map((pick, i) => (i === index ? { ...pick, ...patch } : pick)));
  return (
    <ul className="item-picker" data-testid="item-picker">
      {items.map((item, index) => {
        const pick = picks[index]!;
        return (
          <li key={item.sku} className="item-picker-row">
            <Checkbox
              checked={pick.picked}
              onChange={(event) => update(index, { picked: event.target.checked })}
              data-testid="item-picker-check"
            >
              <span className="item-picker-title">{item.title}</span>
              <span className="item-picker-meta">
                {item.sku} · {format.money(item.unitPrice)}
              </span>
            </Checkbox>
            <InputNumber
              size="small"
              min={1}
              max={item.qty}
              value={pick.qty}
              disabled={!pick.picked}
              onChange={(qty) => update(index, { qty: qty ?? 1 })}
              aria-label={t('orderDetail.qty')}
            />
            {withReplacement ? (
              <Select<string>
                size="small"
                className="item-picker-replacement"
                value={pick.replacementSku}
                disabled={!pick.picked}
                loading={replacements === null}
                onChange={(replacementSku) => update(index, { replacementSku })}
                aria-label={t('actions.replacementSku')}
                data-testid="item-picker-replacement"
                popupMatchSelectWidth={false}
                options={(replacements?.[item.sku] ?? []).map((option) => ({
                  value: option.sku,
                  label: option.sameAsOrdered
                    ? t('wrapUp.exchange.sameAsOrdered')
                    : `${option.option} · ${option.sku}`,
                }))}
              />
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
