import { isRecord } from './json-schema.ts';
import { renderedText } from './rendered-text.ts';

/** A banner as the app would show it, with its call-to-action button if any. */
export function InAppPreview({ rendered }: { rendered: Record<string, unknown> }) {
  const cta = isRecord(rendered.cta) ? rendered.cta : null;
  return (
    <div className="insp-inapp">
      <p className="insp-inapp-title">{renderedText(rendered.title)}</p>
      <p className="insp-inapp-body">{renderedText(rendered.body)}</p>
      {cta && (
        <p>
          <span className="insp-inapp-cta">{renderedText(cta.label)}</span> <span className="insp-muted">{renderedText(cta.url)}</span>
        </p>
      )}
    </div>
  );
}
