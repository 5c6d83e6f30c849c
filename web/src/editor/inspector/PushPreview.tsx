import { renderedText } from './rendered-text.ts';

/** A lock-screen style notification card. */
export function PushPreview({ rendered }: { rendered: Record<string, unknown> }) {
  const deepLink = renderedText(rendered.deepLink);
  return (
    <div className="insp-push">
      <p className="insp-push-app insp-muted">Your app · now</p>
      <p className="insp-push-title">{renderedText(rendered.title)}</p>
      <p className="insp-push-body">{renderedText(rendered.body)}</p>
      {deepLink && <p className="insp-muted">Opens {deepLink}</p>}
    </div>
  );
}
