import { useMemo } from 'react';
import type { CompileError, NodeType } from '@waymark/shared';
import { nodeLook } from '../nodes/node-look.ts';
import { nodeDataJsonSchema } from './node-data-schema.ts';
import { problemErrors } from './problem-errors.ts';
import { channelName, fieldChoices, fieldSuggestions, type SeenCatalog, sendChannels, withContentForChannels } from './field-suggestions.ts';
import { SchemaForm } from './SchemaForm.tsx';
import './inspector.css';

export interface InspectorProps {
  node: { id: string; type: NodeType; data: unknown } | null;
  /** The journey's problems; those of the selected node show on its fields. */
  problems: CompileError[];
  readOnly?: boolean;
  onChange(data: unknown): void;
  /** Event and trait names the workspace has seen, offered in the fields that name them. */
  catalog?: SeenCatalog | null;
}

/** The selected node's settings: a form over its data schema with its problems inline. */
export function Inspector({ node, problems, readOnly = false, onChange, catalog = null }: InspectorProps) {
  const suggest = useMemo(() => fieldSuggestions(node?.data, catalog), [node?.data, catalog]);
  const choices = useMemo(() => fieldChoices(catalog), [catalog]);
  const channels = node?.type === 'send' ? sendChannels(node.data) : null;
  const usedKey = channels ? [...channels.used].sort().join(',') : null;
  // Only the content of the channels the node sends is shown (and checked); the topic only for email.
  const hidden = useMemo(
    () =>
      usedKey === null
        ? undefined
        : (path: string) => (path.startsWith('content.') && !usedKey.split(',').includes(path.split('.')[1]!)) || (path === 'topic' && !usedKey.split(',').includes('email')),
    [usedKey],
  );
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
      {channels && channels.unused.length > 0 && (
        <div className="insp-notice" role="status">
          <p>This step no longer sends {channels.unused.map(channelName).join(' or ')}, but still holds that content. It is not checked, and it is left out when you publish.</p>
          {!readOnly && (
            <button
              type="button"
              onClick={() => {
                const data = node.data as { content?: Record<string, unknown> };
                onChange({ ...data, content: Object.fromEntries(Object.entries(data.content ?? {}).filter(([channel]) => channels.used.has(channel))) });
              }}
            >
              Remove the {channels.unused.map(channelName).join(' and ')} content
            </button>
          )}
        </div>
      )}
      <SchemaForm
        key={node.id}
        schema={nodeDataJsonSchema(node.type)}
        value={node.data}
        onChange={node.type === 'send' ? (next) => onChange(withContentForChannels(next)) : onChange}
        errors={split.fields}
        readOnly={readOnly}
        idPrefix={`insp-${node.id}`}
        suggest={suggest}
        choices={choices}
        hidden={hidden}
      />
    </aside>
  );
}
