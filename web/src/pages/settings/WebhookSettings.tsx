import { WebhookSecrets, type WorkspaceSummary, WorkspaceSettings } from '@waymark/shared';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { can } from '../../app/session.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { timeAgo } from '../../components/relative-time.ts';

const verifySample = `// Node: check a Waymark webhook before trusting it\n// rawBody: the body exactly as received; url: this endpoint's URL as the journey calls it
import { createHmac, timingSafeEqual } from 'node:crypto';
const fields = req.headers['waymark-signature'].split(',').map((part) => part.split('='));
const t = fields.find(([k]) => k === 't')[1];
const expected = createHmac('sha256', process.env.WAYMARK_SIGNING_SECRET).update(\`\${t}.\${url}.\${rawBody}\`).digest('hex');
const valid = Math.abs(Date.now() / 1000 - Number(t)) < 300 &&
  fields.some(([k, v]) => k === 'v1' && v.length === expected.length && timingSafeEqual(Buffer.from(v), Buffer.from(expected)));`;

/** How webhooks are signed (reveal, rotate) and whether they may reach private networks. */
export function WebhookSettings({ workspace }: { workspace: WorkspaceSummary }) {
  const base = `/api/workspaces/${workspace.id}`;
  const owner = can(workspace, 'owner');
  const [settings, setSettings] = useState<WorkspaceSettings | null>(null);
  const [secrets, setSecrets] = useState<WebhookSecrets['secrets'] | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<'rotate' | 'private' | null>(null);
  const load = useCallback(() => {
    api('GET', `${base}/settings`).then(
      (body) => setSettings(WorkspaceSettings.parse(body)),
      (e: Error) => setError(e.message),
    );
    if (owner)
      api('GET', `${base}/webhook-secret`).then(
        (body) => setSecrets(WebhookSecrets.parse(body).secrets),
        (e: Error) => setError(e.message),
      );
  }, [base, owner]);
  useEffect(load, [load]);
  const run = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setError(null);
      load();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const setPrivate = (allowPrivateNetworks: boolean) => run(() => api('PATCH', `${base}/settings`, { allowPrivateNetworks }));
  const current = secrets?.find((s) => s.expiresAt === null) ?? secrets?.[0];
  const retiring = secrets?.filter((s) => s.expiresAt !== null) ?? [];

  return (
    <>
      <p className="wm-lead">Webhook nodes and “send test” call other servers in your workspace’s name. Each call is signed, so the receiver can check it came from Waymark.</p>
      <ErrorAlert message={error} />
      <section className="wm-card" aria-labelledby="signing-title">
        <h3 id="signing-title">Signing secret</h3>
        {!owner ? (
          <p>Only owners see the signing secret.</p>
        ) : secrets === null ? (
          <p className="wm-loading">Loading…</p>
        ) : (
          <>
            <p>
              Every webhook carries <code>Waymark-Signature: t=…,v1=…</code>, an HMAC-SHA256 of the timestamp, the URL called and the body with this secret (so a signed call cannot be replayed to
              another receiver), and <code>Waymark-Message-Id</code>, the same on every retry.
            </p>
            {current && (
              <p>
                Current secret <code>{current.prefix}…</code>, made <span title={timeAgo(current.createdAt).title}>{timeAgo(current.createdAt).text}</span>.
              </p>
            )}
            {retiring.map((s) => (
              <p key={s.prefix} className="wm-note">
                Previous secret <code>{s.prefix}…</code> still signs beside it until {new Date(s.expiresAt!).toLocaleString()}.
              </p>
            ))}
            {shown && (
              <p className="wm-secret" role="status">
                <code>{shown}</code>
              </p>
            )}
            <div className="wm-row-actions">
              <button type="button" onClick={() => void run(async () => setShown((await api<{ secret: string }>('POST', `${base}/webhook-secret/reveal`)).secret))}>
                Reveal secret
              </button>
              <button type="button" onClick={() => setConfirming('rotate')}>
                Rotate secret…
              </button>
            </div>
            <details>
              <summary>How a receiver checks the signature</summary>
              <pre className="wm-code">{verifySample}</pre>
            </details>
          </>
        )}
      </section>
      <section className="wm-card" aria-labelledby="private-title">
        <h3 id="private-title">Private networks</h3>
        <p>
          By default webhooks may only reach public addresses: a journey cannot call this server, your internal network or a cloud metadata address. Turn this on only if Waymark runs inside your
          network and must call internal services.
        </p>
        <label className="wm-check">
          <input
            type="checkbox"
            disabled={!owner || settings === null}
            checked={settings?.allowPrivateNetworks ?? false}
            onChange={(e) => (e.target.checked ? setConfirming('private') : void setPrivate(false))}
          />
          Let webhooks reach private and local addresses (127.0.0.1, 10.x.x.x, 192.168.x.x, …)
        </label>
        {!owner && <p className="wm-note">Only owners change this.</p>}
      </section>
      {confirming === 'rotate' && (
        <ConfirmDialog
          title="Rotate the signing secret?"
          confirmLabel="Rotate"
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            setConfirming(null);
            void run(async () => setShown((await api<{ secret: string }>('POST', `${base}/webhook-secret/rotate`)).secret));
          }}
        >
          <p>A new secret signs every webhook from now on. The current one keeps signing beside it for 24 hours, so your receivers can switch without missing a call.</p>
        </ConfirmDialog>
      )}
      {confirming === 'private' && (
        <ConfirmDialog
          title="Let webhooks reach private addresses?"
          confirmLabel="Allow private addresses"
          danger
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            setConfirming(null);
            void setPrivate(true);
          }}
        >
          <p>Anyone who can edit a journey could then make Waymark call services on your internal network. Allow it only when Waymark runs inside your network on purpose.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
