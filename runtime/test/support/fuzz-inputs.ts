import fc from 'fast-check';

/** The Segment call types and the fields of each besides the common ones. */
export const callFields = {
  track: ['event', 'properties'],
  identify: ['traits'],
  page: ['name', 'properties'],
  screen: ['name', 'properties'],
  group: ['groupId', 'traits'],
  alias: ['previousId'],
} as const;
export type CallType = keyof typeof callFields;
export const callTypes = Object.keys(callFields) as CallType[];
export const commonFields = ['type', 'messageId', 'userId', 'anonymousId', 'timestamp', 'sentAt', 'context', 'integrations'] as const;

/** A call of `type` that Waymark accepts. */
export function validCall(type: CallType): Record<string, unknown> {
  const calls: Record<CallType, Record<string, unknown>> = {
    track: { type, userId: 'fuzz-user', event: 'Fuzzed', properties: { plan: 'pro' }, timestamp: '2026-11-25T09:00:00Z' },
    identify: { type, userId: 'fuzz-user', traits: { email: 'fuzz@example.com' } },
    page: { type, anonymousId: 'fuzz-anon', name: 'Home', properties: { path: '/' } },
    screen: { type, userId: 'fuzz-user', name: 'Home', context: { app: { name: 'fuzz' } } },
    group: { type, userId: 'fuzz-user', groupId: 'fuzz-group', traits: { plan: 'pro' }, integrations: { All: true } },
    alias: { type, previousId: 'fuzz-anon', userId: 'fuzz-user', sentAt: '2026-11-25T09:00:01Z' },
  };
  return calls[type];
}

/**
 * JSON text of `value` with raw JSON literals spliced in: every string `"\u0001<n>"` is replaced by
 * `raws[n]` as written, so the server sees `1e400`, `-0` or `"\u0000"` exactly as a client sent them.
 */
export function spliceRaw(value: unknown, raws: string[]): string {
  return JSON.stringify(value).replace(/"\\u0001(\d+)"/g, (_, n: string) => raws[Number(n)]!);
}
/** The placeholder `spliceRaw` replaces by its `n`-th raw literal. */
export const rawSlot = (n = 0) => `\u0001${n}`;

/** A copy of `value` with the dotted `path` set to `replacement` (objects created on the way). */
export function setAt(value: unknown, path: string, replacement: unknown): Record<string, unknown> {
  const copy = structuredClone(value) as Record<string, unknown>;
  const keys = path.split('.');
  let at = copy;
  for (const key of keys.slice(0, -1)) {
    if (at[key] === null || typeof at[key] !== 'object') at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  at[keys.at(-1)!] = replacement;
  return copy;
}

/** Raw JSON literals of the wrong type for almost any field, and odd numbers. */
export const wrongValues: [label: string, raw: string][] = [
  ['null', 'null'],
  ['true', 'true'],
  ['0', '0'],
  ['-0', '-0'],
  ['1e400', '1e400'],
  ['-1e400', '-1e400'],
  ['1e-400', '1e-400'],
  ['2^64', '18446744073709551616'],
  ['a string', '"text"'],
  ['an empty string', '""'],
  ['a 5,000-character string', JSON.stringify('x'.repeat(5_000))],
  ['an array', '[1,"a",null,{}]'],
  ['an empty array', '[]'],
  ['an object', '{"a":{"b":[1]}}'],
  ['an empty object', '{}'],
];

/** Odd numbers for numeric fields: overflow, underflow, negative zero, past 32 and 53 bits. */
export const oddNumbers = ['1e400', '-1e400', '1e-400', '-0', '0.5', '-1', '2147483648', '9007199254740991', '9007199254740993', '18446744073709551616', `1${'0'.repeat(400)}`];

/** Malformed JSON texts (bytes) built from a valid body's text. */
export function malformedBodies(valid: string): [label: string, body: Buffer][] {
  const utf8 = (text: string) => Buffer.from(text, 'utf8');
  const inside = (bytes: number[]) => Buffer.concat([utf8(valid.slice(0, -1)), utf8(',"x":"'), Buffer.from(bytes), utf8('"}')]);
  return [
    ['empty', Buffer.alloc(0)],
    ['whitespace only', utf8(' \r\n\t ')],
    ['truncated after one byte', utf8(valid.slice(0, 1))],
    ['truncated in the middle', utf8(valid.slice(0, Math.floor(valid.length / 2)))],
    ['truncated before the last brace', utf8(valid.slice(0, -1))],
    ['trailing garbage', utf8(`${valid}garbage`)],
    ['a second value after the first', utf8(`${valid}{}`)],
    ['a trailing comma', utf8(`${valid.slice(0, -1)},}`)],
    ['single quotes', utf8(valid.replaceAll('"', "'"))],
    ['a comment', utf8(`/* c */${valid}`)],
    ['NaN as a value', utf8(`${valid.slice(0, -1)},"n":NaN}`)],
    ['a bare word', utf8('undefined')],
    ['top-level null', utf8('null')],
    ['top-level array', utf8('[]')],
    ['top-level array of the body', utf8(`[${valid}]`)],
    ['top-level string', utf8('"text"')],
    ['top-level number', utf8('42')],
    ['top-level true', utf8('true')],
    ['a UTF-8 BOM first', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(valid)])],
    ['UTF-16LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(valid, 'utf16le')])],
    ['invalid UTF-8 byte 0xff', inside([0xff])],
    ['an overlong NUL (0xc0 0x80)', inside([0xc0, 0x80])],
    ['a lone continuation byte', inside([0x80])],
    ['a truncated 3-byte sequence', inside([0xe2, 0x82])],
    ['a UTF-8-encoded surrogate (0xed 0xa0 0x80)', inside([0xed, 0xa0, 0x80])],
    ['a raw NUL byte in a string', inside([0x00])],
    ['a raw control character in a string', inside([0x07])],
    ['random binary', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef])],
  ];
}

/** `levels` nested arrays or objects, as text. */
export const deepArray = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
export const deepObject = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

/** Percent-encodes every byte: any byte string can be written into a request line. */
export const percentBytes = (bytes: Uint8Array) => Array.from(bytes, (b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');

/** Text PostgreSQL can store: no NUL, no lone surrogate. */
export const storable = (text: string) => !text.includes('\u0000') && text.isWellFormed();

const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));

/** Strings a hostile client sends: any code point, any UTF-16 code unit (lone surrogates), control characters, a few classics. */
export const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({ unit: codeUnit, maxLength: 24 }),
  fc.string({ unit: 'binary-ascii', maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('', '\u0000', 'a\u0000', '\ud800', '\udfff', 'x\ud83d', '\u202e', '\ufeff', '\uffff', '__proto__', 'constructor', '%00', "'; drop table events; --", '{{ 7 | times: 7 }}'),
);

/** Any JSON value, with hostile strings as values and keys. */
export const hostileJson = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.anything({ maxDepth: 3, key: hostileText, values: [hostileText, fc.double(), fc.integer(), fc.boolean(), fc.constant(null)] }));
