import { renderedText } from './rendered-text.ts';

/** An inbox-style header (from, subject, preheader) over the HTML in a sandboxed frame that runs nothing. */
export function EmailPreview({ rendered }: { rendered: Record<string, unknown> }) {
  const fromName = renderedText(rendered.fromName);
  const preheader = renderedText(rendered.preheader);
  return (
    <div className="insp-email">
      {fromName && <p className="insp-email-from">{fromName}</p>}
      <p className="insp-email-subject">
        <span className="insp-muted">Subject: </span>
        {renderedText(rendered.subject)}
      </p>
      {preheader && <p className="insp-muted">{preheader}</p>}
      <iframe className="insp-email-frame" title="Email body preview" sandbox="" srcDoc={renderedText(rendered.html)} />
    </div>
  );
}
