import { parse } from 'csv-parse/sync';
import type { CsvDialect, Fields } from '../schema.ts';

/** Python's csv.field_size_limit() default: StreamAlert's csv reader fails on a longer field, and so do we. */
export const CSV_FIELD_SIZE_LIMIT = 131_072;

/** The raw text of an empty line: csv-parse reads it as one empty field, Python as a row of none. */
const EMPTY_LINES = new Set(['\n', '\r\n', '\r', '']);

/** The rows of one csv text, and why reading stopped early, if it did (the rows before are kept, as StreamAlert keeps them). */
export interface CsvRows {
  readonly rows: string[][];
  readonly problem?: string;
}

/**
 * Reads csv text as Python's csv.reader does with StreamAlert's settings (the excel dialect
 * with the schema's delimiter, quotechar and escapechar): a row per line, quoted fields may
 * span lines, an empty line is a row of no fields.
 *
 * @example
 *   readCsv("a,'b,c'", { delimiter: ',', quote: "'", escape: undefined })  // { rows: [['a', 'b,c']] }
 */
export function readCsv(text: string, dialect: CsvDialect): CsvRows {
  // Text without quote, escape or carriage-return characters is split exactly as Python splits
  // it, without csv-parse, which costs about 50 microseconds a call and 300 ns a character.
  if (!text.includes(dialect.quote) && (dialect.escape === undefined || !text.includes(dialect.escape)) && !text.includes('\r')) return splitPlain(text, dialect.delimiter);
  const read = parseQuoted(text, dialect);
  // Python's reader (not strict) ends a quoted field left open at the end of the text; csv-parse refuses it, so close it.
  return read.code === 'CSV_QUOTE_NOT_CLOSED' ? parseQuoted(text + dialect.quote, dialect) : read;
}

function parseQuoted(text: string, dialect: CsvDialect): CsvRows & { code?: string } {
  const rows: string[][] = [];
  try {
    parse(text, {
      delimiter: dialect.delimiter,
      quote: dialect.quote,
      escape: dialect.escape ?? dialect.quote,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: false,
      max_record_size: CSV_FIELD_SIZE_LIMIT,
      raw: true,
      // With raw, csv-parse hands over {record, raw}; its types do not say so.
      on_record: ((value: { record: string[]; raw: string }) => {
        rows.push(EMPTY_LINES.has(value.raw) ? [] : value.record);
        return null;
      }) as never,
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const problem =
      code === 'CSV_MAX_RECORD_SIZE'
        ? `a field is longer than ${CSV_FIELD_SIZE_LIMIT} characters (Python's csv field limit)`
        : code === 'CSV_QUOTE_NOT_CLOSED'
          ? `a field opened with ${dialect.quote} is not closed`
          : `not readable as csv (${(error as Error).message})`;
    return { rows, problem, ...(code !== undefined && { code }) };
  }
  return { rows };
}

function splitPlain(text: string, delimiter: string): CsvRows {
  if (text === '') return { rows: [] };
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const rows: string[][] = [];
  for (const line of lines) {
    if (line === '') {
      rows.push([]);
      continue;
    }
    const fields = line.split(delimiter);
    if (fields.some((field) => field.length > CSV_FIELD_SIZE_LIMIT)) {
      return { rows, problem: `a field is longer than ${CSV_FIELD_SIZE_LIMIT} characters (Python's csv field limit)` };
    }
    rows.push(fields);
  }
  return { rows };
}

/**
 * A csv row as a record of the schema's columns, in schema order, or why it is not one. A
 * column whose type is a nested schema holds csv text itself (read with the same dialect, its
 * first row, as StreamAlert reads it); `{}` there is a nested csv of no columns, which nothing fits.
 *
 * @example
 *   rowToRecord(['h1', '2018'], fields, dialect)  // { host: 'h1', date: '2018' }
 */
export function rowToRecord(row: readonly string[], fields: Fields, dialect: CsvDialect, path = ''): Record<string, unknown> | string {
  if (row.length !== fields.byName.size) {
    return `${path ? `column ${path}: ` : ''}a row of ${row.length} field${row.length === 1 ? '' : 's'}, expected ${fields.byName.size} (the schema's ${path ? 'nested ' : ''}columns, in order)`;
  }
  const record: Record<string, unknown> = {};
  let index = 0;
  for (const [key, field] of fields.byName) {
    const cell = row[index++]!;
    const kind = field.type.kind;
    if (kind === 'object') return `column ${path}${key}: declared {}, which the csv parser reads as nested csv of no columns: no value fits (declare it "string")`;
    if (kind !== 'nested') {
      record[key] = cell;
      continue;
    }
    const nested = readCsv(cell, dialect);
    const first = nested.rows[0];
    if (first === undefined) return `column ${path}${key}: expected nested csv, got ${nested.problem ?? 'no row'}`;
    const value = rowToRecord(first, (field.type as { fields: Fields }).fields, dialect, `${path}${key}.`);
    if (typeof value === 'string') return value;
    record[key] = value;
  }
  return record;
}
