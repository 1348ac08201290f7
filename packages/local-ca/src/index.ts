/**
 * `--https`: the lab's local certificate authority (local-ca.ts, issue-certificates.ts), how its
 * files reach each server process (lab-tls.ts), and the fetch that trusts it for loopback hosts
 * only (trusting-fetch.ts).
 */
export * from './local-ca.ts';
export * from './lab-tls.ts';
export { createLabTrustingFetch } from './trusting-fetch.ts';
