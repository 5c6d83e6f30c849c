import type { JourneyNode } from '../graph/index.ts';

/** One Liquid template inside a node, with its field path relative to the node's `data`. */
export interface TemplateField {
  field: string;
  source: string;
}

/** Every Liquid template a node holds: all text of send content (but the HTTP method) and set values. */
export function templateFields(node: JourneyNode): TemplateField[] {
  const fields: TemplateField[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string') fields.push({ field: path, source: value });
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key !== 'method') walk(child, `${path}.${key}`);
      }
    }
  };
  if (node.type === 'send') walk(node.data.content, 'content');
  if (node.type === 'update-profile') {
    node.data.operations.forEach((operation, index) => {
      if (operation.op === 'set') fields.push({ field: `operations.${index}.value`, source: operation.value });
    });
  }
  return fields;
}
