import { useEffect, useState } from 'react';
import type { ColumnUse } from './column-mapping.ts';
import { checkAllRows, type RowCheck } from './import-rows.ts';
import type { CustomerCsv } from './read-customer-csv.ts';

/**
 * Every row of the file checked under the mapping, in the background, a moment after the mapping
 * last changed (typing a trait name does not re-check on every key); null without a usable file.
 */
export function useRowCheck(file: CustomerCsv | null, mapping: ColumnUse[]): RowCheck | null {
  const [check, setCheck] = useState<RowCheck | null>(null);
  useEffect(() => {
    if (!file || file.problem) {
      setCheck(null);
      return;
    }
    const controller = new AbortController();
    setCheck({ checked: 0, total: file.data.length, problems: [] });
    const timer = setTimeout(() => {
      void checkAllRows(file.data, file.columns, mapping, controller.signal, (next) => {
        if (!controller.signal.aborted) setCheck({ ...next });
      });
    }, 150);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [file, mapping]);
  return check;
}
