import type { CompileError, NodeType } from '@waymark/shared';
import { nodeLook } from '../nodes/node-look.ts';
import { nodeDataJsonSchema } from './node-data-schema.ts';
import { problemErrors } from './problem-errors.ts';
import { SchemaForm } from './SchemaForm.tsx';
import './inspector.css';

export interface InspectorProps {
  node: { id: string; type: NodeType; data: unknown } | null;
  /** The journey's problems; those of the selected node show on its fields. */
  problems: CompileError[];
  readOnly?: boolean;
  onChange(data: unknown): void;
}

/** The selected node's settings: a form over its data schema with its problems inline. */
export function Inspector({ node, problems, readOnly = false, onChange }: InspectorProps) {
  if (!node) {
    return (
      <aside className="insp insp-empty" aria-label="Inspector">
        <p>Select a node on the canvas to see and edit its settings.</p>
      </aside>
    );
  }
  const split = problemErrors(problems, node.id);
  return (
    <aside className="insp" aria-label="Inspector">
      <header className="insp-header">
        <h2 className="insp-title">{nodeLook[node.type]?.title ?? node.type}</h2>
        <code className="insp-id">{node.id}</code>
      </header>
      {split.general.length > 0 && (
        <ul className="insp-problems" aria-label="Problems with this node">
          {split.general.map((problem, i) => (
            <li key={i}>{problem.message}</li>
          ))}
        </ul>
      )}
      <SchemaForm key={node.id} schema={nodeDataJsonSchema(node.type)} value={node.data} onChange={onChange} errors={split.fields} readOnly={readOnly} idPrefix={`insp-${node.id}`} />
    </aside>
  );
}
