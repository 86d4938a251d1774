import { describe, expect, it } from 'vitest';
import { describeJsonError } from '../../src/input/json-error.ts';

/** What JSON.parse says about `text`, as the reader reports it. */
function complaint(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return describeJsonError(error, text);
  }
  throw new Error('the text parsed');
}

describe('describeJsonError', () => {
  it('gives the column of a one-line record (an NDJSON line), not an offset', () => {
    expect(complaint('{"user": "alice", oops}')).toBe("Expected double-quoted property name at column 19");
  });

  it('gives line and column within a record that spans lines', () => {
    expect(complaint('{\n  "a": 1,\n  x\n}')).toBe('Expected double-quoted property name at line 3, column 3');
  });

  it('leaves a message without a position as it is', () => {
    expect(complaint('{"a":')).toBe('Unexpected end of JSON input');
  });
});
