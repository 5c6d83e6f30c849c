/** The GSM 03.38 basic character set: one septet each. */
const gsmBasic = new Set('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà');
/** The GSM extension table: an escape plus the character, two septets each. */
const gsmExtension = new Set('\f^{}\\[~]|€');

export interface SmsSegments {
  encoding: 'GSM-7' | 'UCS-2';
  /** Characters as a person counts them (an emoji is one). */
  characters: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the message takes. */
  units: number;
  segments: number;
  /** Units that fit one part at this length: 160/70 for a single message, 153/67 per part when split. */
  perSegment: number;
}

/**
 * How many SMS parts a text takes. GSM-7 when every character is in the GSM alphabet (160 in one
 * part, 153 per part when concatenated), else UCS-2 (70, then 67). An escaped GSM character or a
 * surrogate pair is never split across parts, as carriers do. Pure.
 */
export function smsSegments(text: string): SmsSegments {
  const characters = [...text];
  const gsm = characters.every((c) => gsmBasic.has(c) || gsmExtension.has(c));
  const sizes = characters.map((c) => (gsm ? (gsmExtension.has(c) ? 2 : 1) : c.length));
  const units = sizes.reduce((sum, size) => sum + size, 0);
  const single = gsm ? 160 : 70;
  const part = gsm ? 153 : 67;
  const encoding = gsm ? 'GSM-7' : 'UCS-2';
  if (units <= single) return { encoding, characters: characters.length, units, segments: units === 0 ? 0 : 1, perSegment: single };
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > part) {
      segments++;
      used = 0;
    }
    used += size;
  }
  return { encoding, characters: characters.length, units, segments, perSegment: part };
}
