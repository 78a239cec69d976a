import { useEffect, useState } from 'react';
import type { ReplacementOption } from '../../../shared/protocol';
import { desk } from '../../app/desk';

/**
 * The variants each item may be exchanged for, by SKU, from the gateway's catalogue (the
 * exchange rule accepts only these). Unreachable gateway: like-for-like only, which is always
 * valid. Null while loading.
 */
export function useReplacementOptions(
  orderId: string,
  items: readonly { sku: string; title: string }[],
  enabled: boolean,
): Record<string, ReplacementOption[]> | null {
  const [options, setOptions] = useState<Record<string, ReplacementOption[]> | null>(null);
  const skus = items.map((item) => item.sku).join('\n');
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    const sameOnly = (item: { sku: string; title: string }): ReplacementOption[] => [
      { sku: item.sku, title: item.title, option: '', sameAsOrdered: true },
    ];
    void Promise.all(
      items.map((item) =>
        desk.orders.replacements({ orderId, sku: item.sku }).then(
          ({ options: found }) => [item.sku, found.length > 0 ? found : sameOnly(item)] as const,
          () => [item.sku, sameOnly(item)] as const,
        ),
      ),
    ).then((entries) => {
      if (!cancelled) setOptions(Object.fromEntries(entries));
    });
    return () => {
      cancelled = true;
    };
    // The SKUs, not the array identity, decide what to load.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [orderId, skus, enabled]);
  return options;
}
