import Papa from 'papaparse';

/** The most rows one file imports (250 calls of 1,000). */
export const maxImportFileRows = 250_000;

/** A file of customers as read: the header, every row, or what is wrong with the file as a whole. */
export interface CustomerCsv {
  columns: string[];
  data: string[][];
  problem: string | null;
}

/**
 * Reads a CSV file (or its text) with papaparse a megabyte at a time, so the page stays responsive
 * while 100,000 rows are read. The first row is the header; blank lines and a byte order mark are skipped.
 */
export function readCustomerCsv(input: File | string): Promise<CustomerCsv> {
  return new Promise((resolve) => {
    const rows: string[][] = [];
    let tooMany = false;
    Papa.parse<string[]>(input, {
      skipEmptyLines: 'greedy',
      chunkSize: 1024 * 1024,
      chunk: (result, parser) => {
        for (const row of result.data) rows.push(row);
        if (rows.length > maxImportFileRows + 1) {
          tooMany = true;
          parser.abort();
        }
      },
      complete: () => resolve(customerCsv(rows, tooMany)),
      error: (error: Error) => resolve({ columns: [], data: [], problem: `The file could not be read: ${error.message}` }),
    });
  });
}

function customerCsv(rows: string[][], tooMany: boolean): CustomerCsv {
  const [header = [], ...data] = rows;
  const columns = header.map((name, i) => (i === 0 ? name.replace(/^\uFEFF/, '') : name).trim());
  if (!columns.length || columns.every((c) => !c)) return { columns, data: [], problem: 'The file is empty: it needs a header row, then one customer per row.' };
  if (tooMany) return { columns, data: [], problem: `The file has more than ${maxImportFileRows.toLocaleString('en')} rows; split it and import the parts one after another.` };
  if (!data.length) return { columns, data, problem: 'The file has a header but no customers.' };
  return { columns, data, problem: null };
}
