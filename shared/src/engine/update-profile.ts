import type { ProfileOperation } from '../graph/index.ts';
import { renderTemplate } from '../template/index.ts';
import type { CustomerProfile } from './types.ts';
import { describe, readDate, toNumber } from './values.ts';

export interface AppliedOperations {
  customer: CustomerProfile;
  set: Record<string, unknown>;
  unset: string[];
  errors: string[];
  summary: string;
}

/**
 * Renders and applies set/unset operations to a copy of the profile, so later states in the same
 * run see the new values. An operation whose template fails is left out and reported.
 */
export function applyOperations(operations: ProfileOperation[], customer: CustomerProfile, scope: object): AppliedOperations {
  const traits = { ...customer.traits };
  const set: Record<string, unknown> = {};
  const unset: string[] = [];
  const errors: string[] = [];
  for (const operation of operations) {
    if (operation.op === 'unset') {
      delete traits[operation.trait];
      unset.push(operation.trait);
      continue;
    }
    const rendered = renderTemplate(operation.value, scope);
    if (!rendered.ok) {
      errors.push(`${operation.trait}: ${rendered.error}`);
      continue;
    }
    const value = convert(rendered.value, operation.as);
    if (value === undefined) {
      errors.push(`${operation.trait}: ${describe(rendered.value)} is not a ${operation.as}`);
      continue;
    }
    traits[operation.trait] = value;
    set[operation.trait] = value;
  }
  const summary = [...Object.entries(set).map(([k, v]) => `${k} = ${describe(v)}`), ...unset.map((k) => `unset ${k}`)].join(', ');
  return { customer: { ...customer, traits }, set, unset, errors, summary };
}

function convert(text: string, as: ProfileOperation & { op: 'set' } extends { as: infer A } ? A : never): unknown {
  switch (as) {
    case 'string':
      return text;
    case 'number':
      return toNumber(text) ?? undefined;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : undefined;
    case 'date': {
      // Rendered text of an epoch number ("1796137200") reads as the number it was.
      const read = readDate(/^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text.trim());
      if (!read) return undefined;
      return 'instant' in read ? new Date(read.instant).toISOString() : text.trim();
    }
  }
}
