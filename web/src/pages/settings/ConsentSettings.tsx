import { type ConsentMode, type ConsentPolicy, defaultConsentPolicy, Topic, type WorkspaceSummary, WorkspaceSettings } from '@waymark/shared';
import { Trash2 } from 'lucide-react';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import { can } from '../../app/session.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { channelName } from '../../components/words.ts';
import { topicId } from './topic-id.ts';

const consentChannels = ['email', 'sms', 'push', 'in-app'] as const;
const modeWords: Record<ConsentMode, string> = { 'opt-out': 'Opt-out: send unless they unsubscribe', 'opt-in': 'Opt-in: send only to people who said yes' };

/** The workspace's stored policy over the defaults, read without trusting its shape. */
function policyOf(settings: WorkspaceSettings): Required<ConsentPolicy> {
  const stored = (settings.consentPolicy ?? {}) as Record<string, unknown>;
  return Object.fromEntries(consentChannels.map((c) => [c, stored[c] === 'opt-in' || stored[c] === 'opt-out' ? stored[c] : defaultConsentPolicy[c]])) as Required<ConsentPolicy>;
}
function topicsOf(settings: WorkspaceSettings): Topic[] {
  return Array.isArray(settings.topics) ? settings.topics.flatMap((t) => (Topic.safeParse(t).success ? [t as Topic] : [])) : [];
}

/**
 * Who a channel may send to when a customer never said (opt-in or opt-out, per channel), and the
 * email topics recipients can leave on the preference page. Owners change them; saved together.
 */
export function ConsentSettings({ workspace }: { workspace: WorkspaceSummary }) {
  const path = `/api/workspaces/${workspace.id}/settings`;
  const owner = can(workspace, 'owner');
  const [policy, setPolicy] = useState<Required<ConsentPolicy> | null>(null);
  const [topics, setTopics] = useState<Topic[]>([]);
  const [newTopic, setNewTopic] = useState('');
  const [dirty, setDirty] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const apply = useCallback((body: unknown) => {
    const settings = WorkspaceSettings.parse(body);
    setPolicy(policyOf(settings));
    setTopics(topicsOf(settings));
    setDirty(false);
  }, []);
  useEffect(() => {
    api('GET', path)
      .then(apply)
      .catch((e: Error) => setError(e.message));
  }, [path, apply]);

  const edit = (change: () => void) => {
    change();
    setDirty(true);
    setSaved(false);
  };
  const addTopic = () => {
    const name = newTopic.trim();
    if (!name) return;
    edit(() => {
      setTopics([
        ...topics,
        {
          id: topicId(
            name,
            topics.map((t) => t.id),
          ),
          name: name.slice(0, 120),
        },
      ]);
      setNewTopic('');
    });
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      apply(await api('PATCH', path, { consentPolicy: policy, topics }));
      setSaved(true);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <form className="wm-card wm-consent-card" aria-labelledby="consent-title" onSubmit={(e) => void save(e)}>
      <h3 id="consent-title">Consent</h3>
      <p>What a channel does for a customer who has never said yes or no. Someone who unsubscribed never gets messages on that channel, whatever you choose here.</p>
      {policy === null ? (
        !error && <p className="wm-note">Loading…</p>
      ) : (
        <>
          <div className="wm-consent-grid">
            {consentChannels.map((channel) =>
              channel === 'push' ? (
                <div key={channel} className="wm-form-field">
                  <span className="wm-consent-fixed-label">{channelName(channel)}</span>
                  <p className="wm-note" data-testid="consent-push">
                    Opt-in by subscription: only browsers that allowed notifications get push.
                  </p>
                </div>
              ) : (
                <div key={channel} className="wm-form-field">
                  <label htmlFor={`consent-${channel}`}>{channelName(channel)}</label>
                  <select id={`consent-${channel}`} value={policy[channel]} disabled={!owner} onChange={(e) => edit(() => setPolicy({ ...policy, [channel]: e.target.value as ConsentMode }))}>
                    {(['opt-out', 'opt-in'] as const).map((mode) => (
                      <option key={mode} value={mode}>
                        {modeWords[mode]}
                        {defaultConsentPolicy[channel] === mode ? ' (default)' : ''}
                      </option>
                    ))}
                  </select>
                </div>
              ),
            )}
          </div>
          <h4>Topics</h4>
          <p className="wm-note">
            Email subscription groups (“Product news”, “Offers”) that recipients can leave on the preference page without unsubscribing from everything. A topic keeps its ID when renamed.
          </p>
          {topics.length === 0 ? (
            <p className="wm-note">No topics yet: the preference page offers only the channels.</p>
          ) : (
            <ul className="wm-topics">
              {topics.map((topic, i) => (
                <li key={topic.id} className="wm-topic">
                  <input
                    className="wm-topic-name"
                    aria-label={`Name of topic ${topic.id}`}
                    value={topic.name}
                    maxLength={120}
                    disabled={!owner}
                    onChange={(e) => edit(() => setTopics(topics.map((t, j) => (j === i ? { ...t, name: e.target.value } : t))))}
                  />
                  <code className="wm-topic-id" title="The topic’s ID, used by journeys and the API">
                    {topic.id}
                  </code>
                  {owner && (
                    <button type="button" className="wm-icon-text" aria-label={`Remove topic ${topic.name}`} onClick={() => edit(() => setTopics(topics.filter((_, j) => j !== i)))}>
                      <Trash2 size={14} aria-hidden /> Remove
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
          {owner && (
            <div className="wm-row-actions wm-topic-add">
              <input
                className="wm-topic-new"
                aria-label="New topic name"
                placeholder="New topic, e.g. Product news"
                value={newTopic}
                maxLength={120}
                onChange={(e) => setNewTopic(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    addTopic();
                  }
                }}
              />
              <button type="button" onClick={addTopic} disabled={!newTopic.trim()}>
                Add topic
              </button>
            </div>
          )}
          <ErrorAlert message={error} />
          {owner ? (
            <div className="wm-row-actions wm-below">
              <button type="submit" className="wm-primary" disabled={!dirty || topics.some((t) => !t.name.trim())}>
                Save consent and topics
              </button>
              {saved && (
                <span role="status" className="wm-note">
                  Saved.
                </span>
              )}
              {dirty && <span className="wm-note">Unsaved changes.</span>}
            </div>
          ) : (
            <p className="wm-note">Only owners change consent and topics.</p>
          )}
        </>
      )}
    </form>
  );
}
