import { describe, expect, it } from 'vitest';
import { smsSegments } from '@waymark/shared';

describe('smsSegments', () => {
  it('counts nothing for an empty message', () => {
    expect(smsSegments('')).toMatchObject({ encoding: 'GSM-7', characters: 0, segments: 0 });
  });

  it('fits 160 GSM-7 characters in one part and splits at 161 into 153-character parts', () => {
    expect(smsSegments('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', characters: 160, segments: 1, perSegment: 160 });
    expect(smsSegments('a'.repeat(161))).toMatchObject({ segments: 2, perSegment: 153 });
    expect(smsSegments('a'.repeat(306)).segments).toBe(2);
    expect(smsSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('counts GSM extension characters as two septets and never splits one across parts', () => {
    expect(smsSegments(`${'a'.repeat(159)}€`)).toMatchObject({ encoding: 'GSM-7', characters: 160, units: 161, segments: 2 });
    // 306 septets would be 2 parts, but the escape pair cannot straddle the boundary at 153.
    expect(smsSegments(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toMatchObject({ units: 306, segments: 3 });
  });

  it('switches to UCS-2 when any character is outside GSM-7: 70 in one part, then 67 per part', () => {
    expect(smsSegments(`${'a'.repeat(69)}ж`)).toMatchObject({ encoding: 'UCS-2', segments: 1, perSegment: 70 });
    expect(smsSegments(`${'a'.repeat(70)}ж`)).toMatchObject({ encoding: 'UCS-2', segments: 2, perSegment: 67 });
    expect(smsSegments('ж'.repeat(134)).segments).toBe(2);
    expect(smsSegments('ж'.repeat(135)).segments).toBe(3);
  });

  it('counts an emoji as one character but two UCS-2 units, kept whole within a part', () => {
    expect(smsSegments('😀'.repeat(35))).toMatchObject({ characters: 35, units: 70, segments: 1 });
    expect(smsSegments('😀'.repeat(36))).toMatchObject({ units: 72, segments: 2 });
    expect(smsSegments(`${'ж'.repeat(66)}😀${'ж'.repeat(66)}`)).toMatchObject({ units: 134, segments: 3 });
  });

  it('keeps GSM accented letters in GSM-7 (é, ñ, Ä) but not others (á)', () => {
    expect(smsSegments('éñÄ').encoding).toBe('GSM-7');
    expect(smsSegments('á').encoding).toBe('UCS-2');
  });
});
