import { isRecord } from './json-schema.ts';
import { renderedText } from './rendered-text.ts';

/** The request the webhook would make: method, URL, headers and the body as indented JSON. */
export function WebhookPreview({ rendered }: { rendered: Record<string, unknown> }) {
  const headers = isRecord(rendered.headers) ? Object.entries(rendered.headers) : [];
  return (
    <div className="insp-webhook">
      <p>
        <strong>{renderedText(rendered.method)}</strong> <code>{renderedText(rendered.url)}</code>
      </p>
      {headers.length > 0 && (
        <ul className="insp-webhook-headers">
          {headers.map(([name, value]) => (
            <li key={name}>
              <code>
                {name}: {renderedText(value)}
              </code>
            </li>
          ))}
        </ul>
      )}
      {rendered.body !== undefined && rendered.body !== '' && <pre className="insp-webhook-body">{JSON.stringify(rendered.body, null, 2)}</pre>}
    </div>
  );
}
