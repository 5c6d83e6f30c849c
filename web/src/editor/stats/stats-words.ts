/* What the counters' reasons mean, in the words a marketer uses. */

const skips: Record<string, string> = {
  'no-consent': 'No consent',
  'no-address': 'No address',
  bounced: 'Address bounced',
  'no-reachable-channel': 'No reachable channel',
  'frequency-cap': 'Frequency cap',
  'quiet-hours': 'Quiet hours (dropped)',
  'template-error': 'Template error',
  paused: 'Journey paused',
};

/** Why a send step did not send, from `skipped:<reason>` or `<reason>`: "No consent", "Quiet hours (dropped)". */
export function skipWords(reason: string): string {
  const code = reason.replace(/^skipped:/, '');
  return skips[code] ?? sentenceCase(code);
}

const exits: Record<string, string> = {
  completed: 'Reached the end',
  converted: 'Converted',
  'exited-early': 'Exited early by exit criteria',
  'exit-node': 'Reached an exit step',
  holdout: 'Held out',
  'step-cap': 'Stopped at the step cap',
  'entry-rules-unmatched': 'No longer matched the entry rules',
  'date-missing': 'Date missing',
  paused: 'Journey paused',
  archived: 'Journey archived',
};

/** How runs ended, from `exit:<reason>` or `<reason>`: "Reached the end", "Exited early by exit criteria". */
export function exitWords(reason: string): string {
  const code = reason.replace(/^exit:/, '');
  return exits[code] ?? sentenceCase(code);
}

const refusals: Record<string, string> = {
  'already-in-journey': 'Already in the journey',
  're-entry-never': 'Re-entry not allowed',
  're-entry-cooldown': 'Re-entry too soon (cooldown)',
  'no-key': 'No customer key',
  paused: 'Journey paused',
  'audience-filter': 'Outside the audience',
};

/** Why an entry was refused, from `refused:<reason>` or `<reason>`. */
export function refusalWords(reason: string): string {
  const code = reason.replace(/^refused:/, '');
  return refusals[code] ?? sentenceCase(code);
}

/** Metrics of one node that start with `prefix:`, as [reason, count], largest first, zeros left out. */
export function byReason(counts: Record<string, number> | undefined, prefix: string): [string, number][] {
  return Object.entries(counts ?? {})
    .filter(([metric, n]) => metric.startsWith(`${prefix}:`) && n > 0)
    .map(([metric, n]): [string, number] => [metric.slice(prefix.length + 1), n])
    .sort((a, b) => b[1] - a[1]);
}

function sentenceCase(code: string): string {
  const words = code.replace(/[-_]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : 'Other';
}
