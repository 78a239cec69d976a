import { useTranslation } from 'react-i18next';
import { ABNORMAL_TYPES, type AbnormalType } from '../../../shared/abnormal';
import {
  selectAbnormalCounts,
  selectAbnormalLoaded,
  selectAbnormalTotal,
  useAbnormalOrdersStore,
} from '../../stores/abnormalOrders';
import { ABNORMAL_TYPE_COLOR } from './abnormal-type';

/**
 * The type filter: one radio per type with its count (types the role may not see are not
 * counted by the gateway and not shown). Arrow keys move between them, as in any radio group.
 */
export function AbnormalTypeList({
  selected,
  onSelect,
}: {
  selected: AbnormalType | null;
  onSelect: (type: AbnormalType | null) => void;
}) {
  const { t } = useTranslation();
  const counts = useAbnormalOrdersStore(selectAbnormalCounts);
  const total = useAbnormalOrdersStore(selectAbnormalTotal);
  const loaded = useAbnormalOrdersStore(selectAbnormalLoaded);
  const types = loaded ? ABNORMAL_TYPES.filter((type) => counts[type] !== undefined) : ABNORMAL_TYPES;
  const options: (AbnormalType | null)[] = [null, ...types];

  const move = (from: number, step: number) => {
    const next = options[(from + step + options.length) % options.length]!;
    onSelect(next);
    // Focus follows the selection, as arrow keys do in a native radio group.
    requestAnimationFrame(() => document.getElementById(optionId(next))?.focus());
  };

  return (
    <div className="abnormal-types" role="radiogroup" aria-label={t('abnormal.types')}>
      {options.map((type, index) => {
        const checked = type === selected;
        const count = type === null ? total : (counts[type] ?? 0);
        return (
          <button
            key={type ?? 'all'}
            id={optionId(type)}
            type="button"
            role="radio"
            aria-checked={checked}
            tabIndex={checked ? 0 : -1}
            className={checked ? 'abnormal-type abnormal-type-selected' : 'abnormal-type'}
            onClick={() => onSelect(type)}
            onKeyDown={(event) => {
              if (event.key === 'ArrowDown' || event.key === 'ArrowRight') {
                event.preventDefault();
                move(index, 1);
              } else if (event.key === 'ArrowUp' || event.key === 'ArrowLeft') {
                event.preventDefault();
                move(index, -1);
              }
            }}
            data-testid={`abnormal-type-${type ?? 'all'}`}
          >
            <span
              className="abnormal-type-swatch"
              data-color={type ? ABNORMAL_TYPE_COLOR[type] : 'all'}
              aria-hidden="true"
            />
            <span className="abnormal-type-name">
              {type ? t(`abnormal.typeNames.${type}`) : t('abnormal.allTypes')}
            </span>
            <span className="abnormal-type-count">{count}</span>
          </button>
        );
      })}
    </div>
  );
}

function optionId(type: AbnormalType | null): string {
  return `abnormal-type-option-${type ?? 'all'}`;
}
