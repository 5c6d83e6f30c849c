import { type DeliveryEvent, type MessageDetail, messageContent } from '@waymark/shared';
import { and, asc, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { journeys, messages, steps } from '../../db/schema.ts';
import { ApiError } from '../../http/api-error.ts';
import { findCustomer } from './find-customer.ts';

import { labelOf, nodeLabels } from './node-labels.ts';

const iso = (value: string) => new Date(value).toISOString();

/** One message of a customer as it was sent, and its delivery history in time order. */
export async function messageDetail(db: Db, workspaceId: string, customerId: string, messageId: string): Promise<MessageDetail> {
  await findCustomer(db, workspaceId, customerId);
  const [row] = await db
    .select({ message: messages, journeyName: journeys.name })
    .from(messages)
    .leftJoin(journeys, eq(journeys.id, messages.journeyId))
    .where(and(eq(messages.id, messageId), eq(messages.customerId, customerId)));
  if (!row) throw new ApiError(404, 'message-not-found', `Customer "${customerId}" has no message "${messageId}".`);
  const m = row.message;
  // A message that failed for good has the moment in its run's path (the delivery worker writes that step).
  const [failure] =
    m.status === 'failed' || m.status === 'undelivered'
      ? await db
          .select({ at: sql<string>`to_json(${steps.at}) #>> '{}'` })
          .from(steps)
          .where(and(eq(steps.progressId, m.progressId), eq(steps.nodeId, m.nodeId), eq(steps.reason, 'delivery-failed'), gte(steps.at, m.createdAt)))
          .orderBy(asc(steps.at))
          .limit(1)
      : [];
  const labels = await nodeLabels(db, [{ journeyId: m.journeyId, version: m.version }]);
  const tries = (n: number) => `${n} attempt${n === 1 ? '' : 's'}`;
  const history: DeliveryEvent[] = [{ kind: 'queued', at: iso(m.createdAt), detail: m.transactional ? 'transactional: not held by quiet hours or the frequency cap' : null }];
  if (m.sentAt) history.push({ kind: 'sent', at: iso(m.sentAt), detail: m.to ? `to ${m.to}${m.attempts > 1 ? `, after ${tries(m.attempts)}` : ''}` : null });
  if (m.deliveredAt) history.push({ kind: 'delivered', at: iso(m.deliveredAt), detail: null });
  if (m.openedAt) history.push({ kind: 'opened', at: iso(m.openedAt), detail: null });
  if (m.clickedAt) history.push({ kind: 'clicked', at: iso(m.clickedAt), detail: null });
  if (m.status === 'failed' || m.status === 'undelivered') history.push({ kind: 'failed', at: iso(failure?.at ?? m.createdAt), detail: `${m.error ?? 'no reason given'} (${tries(m.attempts)})` });
  if (m.unsubscribedAt) history.push({ kind: 'unsubscribed', at: iso(m.unsubscribedAt), detail: `from ${m.channel} messages` });
  history.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return {
    id: m.id,
    channel: m.channel,
    to: m.to,
    status: m.status,
    attempts: m.attempts,
    error: m.error,
    transactional: m.transactional,
    runId: m.progressId,
    journeyId: m.journeyId,
    journeyName: row.journeyName,
    version: m.version,
    nodeLabel: labelOf(labels, m.journeyId, m.version, m.nodeId)?.label ?? m.nodeId,
    content: messageContent(m.channel, m.content as Record<string, unknown>),
    history,
  };
}
