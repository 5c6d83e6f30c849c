import type { JourneyDocumentInput } from '@waymark/shared';
import abandonedCart from './journeys/abandoned-cart.json' with { type: 'json' };
import orderShippedWebhook from './journeys/order-shipped-webhook.json' with { type: 'json' };
import reEngagement from './journeys/re-engagement.json' with { type: 'json' };
import subjectLineAbTest from './journeys/subject-line-ab-test.json' with { type: 'json' };
import trialEnding from './journeys/trial-ending.json' with { type: 'json' };
import welcomeSeries from './journeys/welcome-series.json' with { type: 'json' };

/** A sample journey and where it comes from. */
export interface Example {
  id: string;
  file: string;
  document: JourneyDocumentInput;
}

const documents = [welcomeSeries, abandonedCart, reEngagement, subjectLineAbTest, trialEnding, orderShippedWebhook];

/** Every sample journey, in the order the README lists them. */
export const examples: Example[] = documents.map((document) => ({
  id: document.id,
  file: `journeys/${document.id}.json`,
  document: document as JourneyDocumentInput,
}));
