import type { Trait } from '@waymark/shared';
import { TraitValue } from './TraitValue.tsx';
import { traitTypeNames } from '../../components/words.ts';

/** Every trait of the profile: name, type and value in words. */
export function TraitsTable({ traits }: { traits: Trait[] }) {
  if (!traits.length) return <p className="wm-muted">No traits yet: an identify call with traits fills this in.</p>;
  return (
    <table className="wm-table wm-traits">
      <thead>
        <tr>
          <th>Trait</th>
          <th>Type</th>
          <th>Value</th>
        </tr>
      </thead>
      <tbody>
        {traits.map((trait) => (
          <tr key={trait.name}>
            <th scope="row">{trait.name}</th>
            <td>
              <span className="wm-type">{traitTypeNames[trait.type]}</span>
            </td>
            <td>
              <TraitValue type={trait.type} value={trait.value} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
