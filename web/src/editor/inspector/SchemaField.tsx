import { AbsentField } from './AbsentField.tsx';
import { CheckboxField } from './CheckboxField.tsx';
import { EnumListField } from './EnumListField.tsx';
import { fieldKind } from './field-kind.ts';
import type { FieldProps } from './field-props.ts';
import { JsonField } from './JsonField.tsx';
import { resolveSchema } from './json-schema.ts';
import { ListField } from './ListField.tsx';
import { NumberField } from './NumberField.tsx';
import { ObjectField } from './ObjectField.tsx';
import { TextField } from './TextField.tsx';
import { UnionField } from './UnionField.tsx';
import { ValueField } from './ValueField.tsx';
import { useSchemaForm } from './schema-form-context.ts';

/** Resolves a schema part and renders the control its kind calls for. */
export function SchemaField(props: FieldProps) {
  const { root, readOnly } = useSchemaForm();
  const schema = resolveSchema(props.schema, root);
  const kind = fieldKind(schema, root);
  const field = { ...props, schema };
  const isGroup = kind === 'object' || kind === 'union';
  if (isGroup && !props.required && props.value === undefined) return <AbsentField {...field} />;
  const onRemove = isGroup && !props.required && !readOnly && props.label !== '' ? () => props.onChange(undefined) : undefined;
  switch (kind) {
    case 'object':
      return <ObjectField {...field} onRemove={onRemove} />;
    case 'union':
      return <UnionField {...field} onRemove={onRemove} />;
    case 'list':
      return <ListField {...field} />;
    case 'enum-list':
      return <EnumListField {...field} />;
    case 'enum':
    case 'string':
      return <TextField {...field} />;
    case 'number':
      return <NumberField {...field} />;
    case 'boolean':
      return <CheckboxField {...field} />;
    case 'const':
      return null;
    case 'value':
      return <ValueField {...field} />;
    case 'json':
      return <JsonField {...field} />;
  }
}
