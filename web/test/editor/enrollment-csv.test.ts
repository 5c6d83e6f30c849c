import { describe, expect, it } from 'vitest';
import { enrollmentsFrom, guessIdentifier, readEnrollmentCsv, rejectedCsv } from '../../src/editor/enroll/read-enrollment-csv.ts';

describe('a CSV of customers to add to a journey', () => {
  it('guesses the column that says who it is: user id first, then email, then Waymark id', () => {
    expect(guessIdentifier(['Name', 'E-mail', 'User ID'])).toEqual({ column: 2, kind: 'userId' });
    expect(guessIdentifier(['Name', 'Email Address'])).toEqual({ column: 1, kind: 'email' });
    expect(guessIdentifier(['id', 'coupon'])).toEqual({ column: 0, kind: 'customerId' });
    expect(guessIdentifier(['first', 'last'])).toBeNull();
  });

  it('reads quoted cells, a byte order mark and Windows line ends; skips blank lines', () => {
    const csv = readEnrollmentCsv('\uFEFFemail,note\r\n"ada@example.com","likes ""quotes"", and commas"\r\n\r\nbob@example.com,\r\n');
    expect(csv).toMatchObject({ columns: ['email', 'note'], rows: 2, identifier: { column: 0, kind: 'email' }, problem: null });
    expect(csv.sample[0]).toEqual(['ada@example.com', 'likes "quotes", and commas']);
  });

  it('says what is wrong with a file as a whole', () => {
    expect(readEnrollmentCsv('').problem).toBe('The file is empty: it needs a header row, then one customer per row.');
    expect(readEnrollmentCsv('email\n').problem).toBe('The file has a header but no customers.');
    expect(readEnrollmentCsv(`email\n${'a@example.com\n'.repeat(100_001)}`).problem).toBe('The file has 100,001 rows; add at most 100,000 at a time.');
  });

  it('turns rows into enrollments, the other non-empty columns into properties, and rejects rows without an identifier by line', () => {
    const { data, columns } = readEnrollmentCsv('user,coupon,empty\nu1,SAVE10,\n,SAVE5,\n u2 ,,\n');
    const { items, rejected } = enrollmentsFrom(data, columns, { column: 0, kind: 'userId' }, true);
    expect(items).toEqual([
      { line: 2, item: { userId: 'u1', properties: { coupon: 'SAVE10' } } },
      { line: 4, item: { userId: 'u2' } },
    ]);
    expect(rejected).toEqual([{ line: 3, identifier: '', reason: 'No user id in this row' }]);
    expect(enrollmentsFrom(data, columns, { column: 0, kind: 'userId' }, false).items[0]).toEqual({ line: 2, item: { userId: 'u1' } });
    expect(rejectedCsv([{ line: 3, identifier: 'a,b', reason: 'No "user" id' }])).toBe('line,customer,reason\r\n3,"a,b","No ""user"" id"');
  });
});
