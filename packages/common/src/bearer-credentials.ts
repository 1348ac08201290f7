/**
 * Reading a bearer token from `Authorization`, for every party that accepts one (the MCP
 * server's endpoint, the AS's grading facility): RFC 6750 §2.1,
 * `credentials = "Bearer" 1*SP b64token`, the scheme case-insensitive.
 */
const BEARER_CREDENTIALS = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/** The token of a well-formed `Authorization: Bearer <token>`, or undefined. */
export function bearerCredentials(header: string | null | undefined): string | undefined {
  return BEARER_CREDENTIALS.exec(header ?? '')?.[1];
}
