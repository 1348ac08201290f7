import { describe, expect, it } from 'vitest';
import { JsonObjectError, parseJsonObject } from './json-object.ts';
import { isJsonMediaType, mediaType } from './media-type.ts';

describe('parseJsonObject: every document the lab reads must be one JSON object (RFC 8259 §4)', () => {
  it('returns the object', () => {
    expect(parseJsonObject('{"a":1}')).toEqual({ a: 1 });
  });

  it.each([
    ['text that is not JSON', '{"a":', 'not JSON'],
    ['an empty body', '', 'not JSON'],
    ['an array', '[{"a":1}]', 'array'],
    ['null', 'null', 'null'],
    ['a string', '"x"', 'string'],
    ['a number', '42', 'number'],
    ['a boolean', 'true', 'boolean'],
  ])('refuses %s, saying what it found', (_, text, found) => {
    expect(() => parseJsonObject(text)).toThrow(JsonObjectError);
    try {
      parseJsonObject(text);
    } catch (error) {
      expect((error as JsonObjectError).found).toBe(found);
    }
  });
});

describe('mediaType: the type/subtype of Content-Type, case-insensitive (RFC 9110 §8.3.1)', () => {
  it.each([
    ['application/json', 'application/json'],
    ['Application/JSON; charset=utf-8', 'application/json'],
    [' application/x-www-form-urlencoded ;charset=UTF-8', 'application/x-www-form-urlencoded'],
    [null, ''],
    [undefined, ''],
  ])('%s → %s', (header, expected) => {
    expect(mediaType(header)).toBe(expected);
  });

  it.each([
    ['application/json', true],
    ['application/problem+json; charset=utf-8', true],
    ['text/html', false],
    ['application/jsonp', false],
    [null, false],
  ])('isJsonMediaType(%s) is %s (application/json or a +json suffix, RFC 6839 §3.1)', (header, expected) => {
    expect(isJsonMediaType(header)).toBe(expected);
  });
});
