import { describe, expect, it } from 'vitest';
import { byReason, exitWords, refusalWords, skipWords } from '../../src/editor/stats/stats-words.ts';

describe('reasons in words', () => {
  it('says why a message was not sent', () => {
    expect(skipWords('skipped:no-consent')).toBe('No consent');
    expect(skipWords('frequency-cap')).toBe('Frequency cap');
    expect(skipWords('quiet-hours')).toBe('Quiet hours (dropped)');
    expect(skipWords('template-error')).toBe('Template error');
    expect(skipWords('something-new')).toBe('Something new');
    expect(skipWords('skipped:bounced')).toBe('Address bounced');
  });

  it('tells endings and refusals apart', () => {
    expect(exitWords('completed')).toBe('Reached the end');
    expect(exitWords('exit:exited-early')).toBe('Exited early by exit criteria');
    expect(exitWords('exit-node')).toBe('Reached an exit step');
    expect(exitWords('step-cap')).toBe('Stopped at the step cap');
    expect(refusalWords('refused:re-entry-cooldown')).toBe('Re-entry too soon (cooldown)');
  });

  it('reads the counters of one kind, largest first, zeros left out', () => {
    expect(byReason({ entered: 9, 'skipped:no-consent': 2, 'skipped:frequency-cap': 5, 'skipped:quiet-hours': 0 }, 'skipped')).toEqual([
      ['frequency-cap', 5],
      ['no-consent', 2],
    ]);
    expect(byReason(undefined, 'exit')).toEqual([]);
  });
});
