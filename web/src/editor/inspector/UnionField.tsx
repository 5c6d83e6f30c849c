import { switchVariant } from './default-value.ts';
import { currentVariant, discriminatorOf, type UnionVariant } from './discriminator.ts';
import { errorsAt, joinPath } from './field-errors.ts';
import type { GroupProps } from './field-props.ts';
import { FieldGroup } from './FieldGroup.tsx';
import { FieldShell } from './FieldShell.tsx';
import { humanizeName } from './humanize-name.ts';
import { ObjectField } from './ObjectField.tsx';
import { controlId, useSchemaForm } from './schema-form-context.ts';

/**
 * A discriminated union: a select of its variants by their tag (`kind`, `mode`…), then the
 * chosen variant's fields. Switching keeps the fields both variants have.
 */
export function UnionField({ schema, value, onChange, path, name, label, onRemove }: GroupProps) {
  const { root, errors, idPrefix, readOnly } = useSchemaForm();
  const union = discriminatorOf(schema, root);
  if (!union) throw new Error(`UnionField needs a discriminated union at "${path}".`);
  const variant = currentVariant(union, value);
  const tagPath = joinPath(path, union.key);
  // Without a variant there are no fields to show errors under, so the group shows them all.
  const groupErrors = errorsAt(errors, path, variant === undefined).filter((error) => !errorsAt([error], tagPath, true).length);
  const tagErrors = errorsAt(errors, tagPath, true);

  // The tag's own words when the schema gives them (`meta({ label, choice })`): "Based on" · "How often an event happened".
  const tagSchema = (variant ?? union.variants[0])?.schema.properties?.[union.key];
  const tagLabel = typeof tagSchema?.label === 'string' ? tagSchema.label : humanizeName(union.key);
  const optionText = (option: UnionVariant) => {
    const choice = option.schema.properties?.[union.key]?.choice;
    return typeof choice === 'string' ? choice : humanizeName(option.tag);
  };

  const choose = (tag: string) => {
    const next = union.variants.find((candidate) => candidate.tag === tag);
    if (next && next !== variant) onChange(switchVariant(value, union.key, next.schema, next.tag, root));
  };

  return (
    <FieldGroup id={controlId(idPrefix, path)} label={label} description={schema.description} messages={groupErrors.map((e) => e.message)} onRemove={onRemove}>
      <FieldShell id={controlId(idPrefix, tagPath)} label={tagLabel} required messages={tagErrors.map((e) => e.message)}>
        {(aria) => (
          <select {...aria} className="insp-select" disabled={readOnly} value={variant?.tag ?? ''} onChange={(e) => choose(e.target.value)}>
            {!variant && <option value="">Choose…</option>}
            {union.variants.map((option) => (
              <option key={option.tag} value={option.tag}>
                {optionText(option)}
              </option>
            ))}
          </select>
        )}
      </FieldShell>
      {variant && <ObjectField schema={variant.schema} value={value} onChange={onChange} path={path} name={name} label="" required omit={union.key} ownErrors={false} />}
    </FieldGroup>
  );
}
