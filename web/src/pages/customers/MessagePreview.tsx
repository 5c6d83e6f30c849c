import type { MessageContent } from '@waymark/shared';

/**
 * The message as the customer got it. Email HTML renders in a frame with `sandbox=""`: no scripts,
 * no forms, no navigation of this page, an origin of its own.
 */
export function MessagePreview({ content }: { content: MessageContent }) {
  switch (content.channel) {
    case 'email':
      return (
        <div className="wm-preview-email">
          <dl className="wm-fields">
            {content.fromName && (
              <div>
                <dt>From</dt>
                <dd>{content.fromName}</dd>
              </div>
            )}
            <div>
              <dt>Subject</dt>
              <dd>
                <strong>{content.subject}</strong>
              </dd>
            </div>
            {content.preheader && (
              <div>
                <dt>Preheader</dt>
                <dd>{content.preheader}</dd>
              </div>
            )}
          </dl>
          <iframe className="wm-email-frame" title="Email as sent" sandbox="" srcDoc={content.html} />
          {content.text && (
            <details>
              <summary>Plain-text version</summary>
              <pre className="wm-preview-text">{content.text}</pre>
            </details>
          )}
        </div>
      );
    case 'sms':
      return <p className="wm-preview-sms">{content.text}</p>;
    case 'push':
      return (
        <div className="wm-preview-card">
          <strong>{content.title}</strong>
          <p>{content.body}</p>
          {content.deepLink && <p className="wm-sub">Opens {content.deepLink}</p>}
        </div>
      );
    case 'in-app':
      return (
        <div className="wm-preview-card">
          <strong>{content.title}</strong>
          <p>{content.body}</p>
          {content.cta && (
            <p className="wm-sub">
              Button “{content.cta.label}” opens {content.cta.url}
            </p>
          )}
        </div>
      );
    case 'webhook':
      return (
        <div className="wm-preview-webhook">
          <p>
            <code>{content.method}</code> <span className="wm-break">{content.url}</span>
          </p>
          {Object.keys(content.headers).length > 0 && (
            <dl className="wm-fields">
              {Object.entries(content.headers).map(([name, value]) => (
                <div key={name}>
                  <dt>{name}</dt>
                  <dd className="wm-break">{value}</dd>
                </div>
              ))}
            </dl>
          )}
          {content.body ? <pre className="wm-code">{content.body}</pre> : <p className="wm-muted">No body.</p>}
        </div>
      );
  }
}
