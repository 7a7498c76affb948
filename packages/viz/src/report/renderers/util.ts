/** Helpers shared by report renderers (shape tests on untyped JSON; no science). */

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isNumber(v: unknown): v is number {
  return typeof v === 'number';
}

/** A non-empty array of numbers. */
export function isNumberArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.length > 0 && v.every(isNumber);
}

/** A non-empty array of non-empty number arrays (a matrix, possibly ragged). */
export function isNumberMatrix(v: unknown): v is number[][] {
  return Array.isArray(v) && v.length > 0 && v.every(isNumberArray);
}

/** A non-empty array of plain objects. */
export function isRecordArray(v: unknown): v is Record<string, unknown>[] {
  return Array.isArray(v) && v.length > 0 && v.every(isRecord);
}

/** Scalars (numbers, strings, booleans, null, short number lists) of an object, one level deep, as [key, value]. */
export function scalarEntries(obj: Record<string, unknown>, prefix = ''): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (v === null || ['number', 'string', 'boolean'].includes(typeof v)) out.push([prefix + k, v]);
    else if (Array.isArray(v) && v.length <= 12 && v.every((x) => x === null || ['number', 'string', 'boolean'].includes(typeof x))) out.push([prefix + k, v.join(', ')]);
  }
  return out;
}

/** Columns of an array of records: the union of keys whose values are scalars, in first-seen order. */
export function scalarColumns(rows: Record<string, unknown>[]): string[] {
  const cols: string[] = [];
  for (const r of rows) {
    for (const [k, v] of Object.entries(r)) {
      if (!cols.includes(k) && (v === null || ['number', 'string', 'boolean'].includes(typeof v))) cols.push(k);
    }
  }
  return cols;
}

/** A table block from an array of records (at most `max` rows). */
export function recordsTable(rows: Record<string, unknown>[], title?: string, max = 200): { kind: 'table'; title?: string; columns: string[]; rows: unknown[][]; caption?: string } {
  const columns = scalarColumns(rows);
  const shown = rows.slice(0, max);
  return {
    kind: 'table',
    title,
    columns,
    rows: shown.map((r) => columns.map((c) => r[c])),
    caption: rows.length > max ? `first ${max} of ${rows.length} rows` : undefined,
  };
}
