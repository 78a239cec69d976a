import type { ReactNode } from 'react';

/** A titled block of the order detail. */
export function DetailSection({
  title,
  children,
  className,
}: {
  title: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section className={className ? `detail-section ${className}` : 'detail-section'}>
      <h3 className="detail-section-title">{title}</h3>
      {children}
    </section>
  );
}

/** Label/value pairs laid out as a two-column grid. */
export function FieldList({ fields }: { fields: ReadonlyArray<{ label: string; value: ReactNode }> }) {
  return (
    <dl className="field-list">
      {fields.map(({ label, value }) => (
        <div key={label} className="field-list-row">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
