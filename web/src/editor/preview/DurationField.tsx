import type { Duration, DurationUnit } from '@waymark/shared';

const units: DurationUnit[] = ['minutes', 'hours', 'days', 'weeks'];

/** An amount and a unit ("2 hours"), in one row. */
export function DurationField({ label, value, onChange, id }: { label: string; value: Duration; onChange(next: Duration): void; id: string }) {
  return (
    <fieldset className="wm-pv-duration" id={id}>
      <legend className="wm-pv-label">{label}</legend>
      <input
        type="number"
        min={0}
        max={10_000}
        aria-label={`${label}: amount`}
        value={Number.isFinite(value.amount) ? value.amount : ''}
        onChange={(e) => onChange({ ...value, amount: Math.max(0, Math.min(10_000, Math.round(Number(e.target.value) || 0))) })}
      />
      <select aria-label={`${label}: unit`} value={value.unit} onChange={(e) => onChange({ ...value, unit: e.target.value as DurationUnit })}>
        {units.map((unit) => (
          <option key={unit} value={unit}>
            {unit}
          </option>
        ))}
      </select>
    </fieldset>
  );
}
