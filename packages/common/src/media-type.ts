/**
 * The media type of a `Content-Type` value (RFC 9110 §8.3.1): the `type/subtype` before any
 * parameter, compared case-insensitively ("The type and subtype tokens are case-insensitive").
 * The one parser for every endpoint that accepts one media type only.
 */

/** `application/json` from `Application/JSON; charset=utf-8`; `''` when there is no header. */
export function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** True for `application/json` and any `+json` structured syntax suffix (RFC 6839 §3.1). */
export function isJsonMediaType(contentType: string | null | undefined): boolean {
  const type = mediaType(contentType);
  return type === 'application/json' || /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+\+json$/.test(type);
}
