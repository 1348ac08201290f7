/**
 * Reading a JSON object (RFC 8259 §4): every document the lab exchanges is one (metadata
 * documents, registration requests, error bodies, JWK Sets), and each party must refuse
 * anything else, each with its own error. This is the one parser; callers map `JsonObjectError`
 * onto their error (`invalid_client_metadata`, a failed client step, a 503 for the keys).
 */

export type JsonObject = Record<string, unknown>;

/** What came instead of a JSON object: `not JSON`, or the JSON type (`array`, `null`, `string`...). */
export type NotAnObject = 'not JSON' | 'array' | 'null' | 'string' | 'number' | 'boolean';

export class JsonObjectError extends Error {
  override readonly name = 'JsonObjectError';
  constructor(readonly found: NotAnObject) {
    super(found === 'not JSON' ? 'not valid JSON' : `a JSON ${found}, not an object`);
  }
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON object in `text`; throws `JsonObjectError` saying what was there instead. */
export function parseJsonObject(text: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new JsonObjectError('not JSON');
  }
  if (isJsonObject(parsed)) return parsed;
  throw new JsonObjectError(parsed === null ? 'null' : Array.isArray(parsed) ? 'array' : (typeof parsed as 'string' | 'number' | 'boolean'));
}
