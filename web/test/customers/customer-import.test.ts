import { describe, expect, it } from 'vitest';
import { type ColumnUse, guessMapping, guessType, mappingProblems } from '../../src/pages/customers/import/column-mapping.ts';
import { checkRows, rowFrom } from '../../src/pages/customers/import/import-rows.ts';
import { readCustomerCsv } from '../../src/pages/customers/import/read-customer-csv.ts';
import { rejectedRowsCsv } from '../../src/pages/customers/import/rejected-rows-csv.ts';

describe('importing customers from a CSV file', () => {
  it('guesses the mapping from the header: ids, email, phone, consent, and typed traits named after their columns', () => {
    const columns = ['customer_id', 'User ID', 'E-mail', 'Mobile', 'First Name', 'orders', 'zip', 'vip', 'signed_up', 'email_opt_in', 'SMS consent', 'unsubscribed', ''];
    const sample = [
      ['c1', 'u1', 'ada@example.com', '+14155550100', 'Ada', '12', '02139', 'yes', '2024-03-01', 'yes', 'no', 'false', 'x'],
      ['c2', 'u2', 'bob@example.com', '', 'Bob', '3.5', '10001', 'No', '2024-03-02T10:00:00Z', 'no', 'yes', 'true', 'y'],
    ];
    expect(guessMapping(columns, sample)).toEqual([
      { as: 'skip' },
      { as: 'userId' },
      { as: 'email' },
      { as: 'phone' },
      { as: 'trait', name: 'First Name', type: 'string' },
      { as: 'trait', name: 'orders', type: 'number' },
      // Leading zeros make a code, not a number.
      { as: 'trait', name: 'zip', type: 'string' },
      { as: 'trait', name: 'vip', type: 'boolean' },
      { as: 'trait', name: 'signed_up', type: 'date' },
      { as: 'consent', channel: 'email' },
      { as: 'consent', channel: 'sms' },
      { as: 'skip' },
      { as: 'skip' },
    ]);
    // Without a user id column, `id` is the user id; a file with only an email column needs nothing else.
    expect(guessMapping(['id', 'email'], [])).toEqual([{ as: 'userId' }, { as: 'email' }]);
    expect(guessType(['', ' '])).toBe('string');
    expect(guessType(['2024-02-30'])).toBe('string');
  });

  it('says what keeps a mapping from importing', () => {
    const columns = ['a', 'b', 'c'];
    const trait = (name: string): ColumnUse => ({ as: 'trait', name, type: 'string' });
    expect(mappingProblems(columns, [trait('a'), trait('b'), { as: 'skip' }])).toEqual(['Choose the column that holds the user ID, email or phone: each customer needs at least one.']);
    expect(mappingProblems(columns, [{ as: 'email' }, { as: 'email' }, trait(' ')])).toEqual([
      "“a” and “b” are both imported as Email: keep one and don't import the other.",
      'Name the trait that “c” fills in.',
    ]);
    expect(mappingProblems(columns, [{ as: 'userId' }, trait('plan'), trait('plan ')])).toEqual(["“b” and “c” both fill in the trait “plan”: rename one, or don't import it."]);
    expect(mappingProblems(columns, [{ as: 'userId' }, trait('phone'), { as: 'consent', channel: 'sms' }])).toEqual([
      '“b”: “phone” is not a trait name Waymark can use; import the column as Phone or name the trait differently.',
    ]);
    expect(mappingProblems(columns, [{ as: 'userId' }, { as: 'consent', channel: 'sms' }, { as: 'consent', channel: 'email' }])).toEqual([]);
  });

  it('turns a line into an API row (empty cells left out, formula guards undone) and checks every row as the server will, naming the column', () => {
    const columns = ['user', 'Email', 'Phone', 'Orders', 'Signed up', 'SMS'];
    const mapping: ColumnUse[] = [
      { as: 'userId' },
      { as: 'email' },
      { as: 'phone' },
      { as: 'trait', name: 'orders', type: 'number' },
      { as: 'trait', name: 'signed_up', type: 'date' },
      { as: 'consent', channel: 'sms' },
    ];
    expect(rowFrom(['u1', ' ada@example.com ', "'+14155550100", '', '2024-03-01', 'yes'], mapping)).toEqual({
      userId: 'u1',
      email: 'ada@example.com',
      phone: '+14155550100',
      traits: { signed_up: { type: 'date', value: '2024-03-01' } },
      consent: { sms: 'yes' },
    });
    const data = [
      ['u1', 'ada@example.com', '+1 415 555 0100', '3', '2024-03-01', 'yes'],
      ['u2', 'bob@', '', '', '', ''],
      ['u3', '', '0612345678', '', '', ''],
      ['u4', '', '', '1,5', '', ''],
      ['u5', '', '', '', '03/01/2024', ''],
      ['', '', '', '2', '', ''],
      ['u7', '', '', '', '', 'maybe'],
    ];
    expect(checkRows(data, columns, mapping)).toEqual([
      { index: 1, reason: 'Email: "bob@" is not an email address' },
      { index: 2, reason: 'Phone: "0612345678" is not a phone number in international format (E.164), like +14155550100' },
      { index: 3, reason: 'Orders: "1,5" is not a number (write numbers like 1234.5, without thousands separators)' },
      { index: 4, reason: 'Signed up: "03/01/2024" is not a date (write dates like 2026-03-01 or 2026-03-01T14:30:00Z)' },
      { index: 5, reason: 'No user ID, email or phone: each row needs at least one to say who it is' },
      { index: 6, reason: 'SMS: "maybe" is not a consent (write opted-in or unsubscribed, or yes/no)' },
    ]);
  });

  it('reads a file with a byte order mark, quotes and Windows line ends, skipping blank lines', async () => {
    const csv = await readCustomerCsv('\uFEFFemail,note\r\n"ada@example.com","likes ""quotes"", and commas"\r\n\r\nbob@example.com,\r\n');
    expect(csv).toEqual({
      columns: ['email', 'note'],
      data: [
        ['ada@example.com', 'likes "quotes", and commas'],
        ['bob@example.com', ''],
      ],
      problem: null,
    });
    expect((await readCustomerCsv('')).problem).toBe('The file is empty: it needs a header row, then one customer per row.');
    expect((await readCustomerCsv('email\n')).problem).toBe('The file has a header but no customers.');
  });

  it('writes the rejected rows with their own columns plus why, quoted, formulas made harmless, in file order', () => {
    const columns = ['email', 'note'];
    const data = [
      ['ok@example.com', ''],
      ['bob@', '=1+1'],
      ['', 'a "quoted", note'],
    ];
    const csv = rejectedRowsCsv(columns, data, [
      { index: 2, reason: 'No user ID, email or phone: each row needs at least one to say who it is' },
      { index: 1, reason: 'Email: "bob@" is not an email address' },
    ]);
    expect(csv).toBe(
      ['email,note,reason', `bob@,"'=1+1","Email: ""bob@"" is not an email address"`, ',"a ""quoted"", note","No user ID, email or phone: each row needs at least one to say who it is"'].join('\r\n'),
    );
    // A file that has a reason column of its own keeps it.
    expect(rejectedRowsCsv(['email', 'reason'], [['x', 'y']], [{ index: 0, reason: 'why' }]).split('\r\n')[0]).toBe('email,reason,import problem');
  });
});
