/**
 * Why an access token was refused: a stable, machine-readable reason (shown in the trace, asserted
 * by tests) and a description a developer can act on. Every one becomes 401 `invalid_token`
 * (RFC 6750 §3.1) in verify-access-token.ts.
 */
export type InvalidTokenReason =
  | 'malformed'
  | 'alg_not_allowed'
  | 'unknown_key'
  | 'bad_signature'
  | 'wrong_typ'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'expired'
  | 'not_yet_valid'
  | 'missing_claim'
  | 'invalid_claim'
  /** A JWT that passed the local checks, but the AS says it is no longer active (RFC 7662). */
  | 'revoked'
  /** An opaque token the AS says is not active (RFC 7662 §2.2). */
  | 'inactive';

export class InvalidAccessToken extends Error {
  constructor(
    readonly reason: InvalidTokenReason,
    description: string,
  ) {
    super(description);
  }
}
