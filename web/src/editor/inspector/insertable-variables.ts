/** A Liquid variable the FieldPicker offers, grouped by where its value comes from. */
export interface InsertableVariable {
  group: 'Customer' | 'Event' | 'Journey';
  path: string;
}

/** Always there: the customer's address fields and id, and the journey's own fields. */
const customerBase = ['email', 'phone', 'id'];
const journeyFields = ['name', 'entered_at'];

/** `customer.first_name`, or `customer["first name"]` for a name Liquid cannot read with a dot. */
export function variablePath(scope: string, name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name) ? `${scope}.${name}` : `${scope}[${JSON.stringify(name)}]`;
}

/** The Liquid output tag that prints a variable: `{{ customer.first_name }}`. */
export function liquidTag(path: string): string {
  return `{{ ${path} }}`;
}

/** The variables a template can use, given the workspace's trait and event property names. */
export function insertableVariables(traits: readonly string[], eventProperties: readonly string[]): InsertableVariable[] {
  const unique = (names: readonly string[]) => [...new Set(names)];
  return [
    ...unique([...customerBase, ...traits]).map((name) => ({ group: 'Customer' as const, path: variablePath('customer', name) })),
    ...unique(eventProperties).map((name) => ({ group: 'Event' as const, path: variablePath('event', name) })),
    ...journeyFields.map((name) => ({ group: 'Journey' as const, path: variablePath('journey', name) })),
  ];
}
