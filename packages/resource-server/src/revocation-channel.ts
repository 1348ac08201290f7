/**
 * The resource server's revocation channel: its subscription to the AS's revocation SETs
 * (docs/revocation.md). While it is live, a token that passed the local checks is refused only
 * if its `jti` was revoked (revoked-token-ids.ts), with no round trip to the AS; while it is not,
 * every token is introspected at the AS (RFC 7662), as before (fail closed).
 *
 * - Subscribe: POST the AS's `revocation_events_endpoint` (its metadata, RFC 8414 §2), with the
 *   introspection credentials (HTTP Basic, RFC 6749 §2.3.1), `delivery_url` (this server's
 *   receiver, security-event-receiver.ts), and the `epoch` and `cursor` it holds. The answer
 *   `{ epoch, cursor, sets }` brings the SETs after the cursor: the catch-up.
 * - Renew every `renewMs`: the renewal IS the liveness check. The channel is live while the
 *   last renewal succeeded less than `LIVE_FOR_RENEWALS` periods ago.
 * - A new `epoch` is a new AS run (a restart): its log starts again, the cursor is reset, and
 *   the whole log is fetched (its revocations were made while this server was not subscribed).
 *   The old run's log is gone with it (the AS keeps it in memory), so what it revoked and could
 *   not push here is lost to this server as it is to the AS itself. What keeps that honest: the
 *   JWK Set is fetched again at once (`keys.reload`), so the old run's tokens are judged by the
 *   keys the new run publishes, as the AS's introspection would judge them: refused after a
 *   restart with a fresh key (the default); accepted with a persistent key (`MCP_DEMO_AS_KEY_FILE`),
 *   where the new AS has forgotten those revocations too (docs/revocation.md, "AS restarts").
 * - The JWK Set fetched again (a token with a new `kid`: the AS may have restarted without this
 *   server knowing yet): `needsConfirmation()` is true until a renewal succeeds, and the check
 *   waits for that renewal (revocation-check.ts) before it trusts the channel. A new AS run
 *   knows no subscriber, so it pushes nothing until this server renews; this catches it up first.
 * - A pushed SET whose `seq` skips one means a push was lost: renew at once (catch up).
 * - The trace says once that the channel is live, and once (when a token is checked without
 *   it) that it is lost: `revocation_channel.live` / `revocation_channel.lost`; and each revoked
 *   `jti` once, when it is first learnt (`security_event.received`). Renewals are not traced.
 *
 * - Not live: renew every `RECONNECT_MS` instead, so the channel is back soon after the AS is.
 * - The revoked-token set full: the channel stays lost (a revocation that did not fit would be
 *   forgotten otherwise) until this server restarts; introspection answers meanwhile.
 *
 * Timers: one timeout at a time, unref'd (it never keeps a process alive), cleared by `stop()`.
 */
import { parseJsonObject, type AccessTokenRevokedEvent } from '@mcp-auth-demo/common';
import type { Emit } from '@mcp-auth-demo/trace';
import type { AuthorizationServerKeys } from './authorization-server-keys.ts';
import { AUTHORIZATION_SERVER_FETCH_TIMEOUT_MS } from './authorization-server-metadata.ts';
import type { RevokedTokenIds } from './revoked-token-ids.ts';

/** The channel is live while the last good renewal is younger than this many periods. */
export const LIVE_FOR_RENEWALS = 3;
/** While the channel is not live, how often the subscription is tried again. */
export const RECONNECT_MS = 100;

export interface RevocationChannelOptions {
  /** The AS's revocation events endpoint (discovered from its metadata at first need). */
  endpoint: () => Promise<string>;
  /** `Authorization: Basic ...` with this server's introspection credentials. */
  authorization: string;
  /** This server's SET receiver (RFC 8935), on its own origin. */
  deliveryUrl: string;
  renewMs: number;
  revoked: RevokedTokenIds;
  /** The AS's keys: their `version` says when the JWK Set was fetched again; `reload` on a new epoch. */
  keys: Pick<AuthorizationServerKeys, 'version' | 'reload'>;
  /** Verifies one SET (security-event-receiver.ts), throwing when it is not good. */
  verify: (set: string) => Promise<AccessTokenRevokedEvent>;
  fetch: typeof fetch;
  now: () => number;
  emit: Emit;
}

export interface RevocationChannel {
  /** True while revocations reach this server by push (see the header). */
  isLive(): boolean;
  /** True when the JWK Set was fetched again since the last renewal: renew before trusting the channel. */
  needsConfirmation(): boolean;
  /** Says once per lost period that tokens are introspected instead. */
  noteFallback(): void;
  /** A verified SET, pushed or caught up. */
  accept(event: AccessTokenRevokedEvent, via: 'push' | 'catch-up'): void;
  /** Renews the subscription now (and catches up); resolves when done, whatever happened. */
  renew(): Promise<void>;
  start(): void;
  stop(): void;
}

export function createRevocationChannel(options: RevocationChannelOptions): RevocationChannel {
  const { now, emit } = options;
  let epoch: string | undefined;
  let cursor = 0;
  /** Pushed seqs beyond a gap, waiting for the catch-up to fill it. */
  const ahead = new Set<number>();
  let lastGoodAt = Number.NEGATIVE_INFINITY;
  /** The keys' version at the last good renewal. */
  let keysVersionSeen = 0;
  let healthy = false; // the last renewal succeeded
  let full = false; // a revocation did not fit in the set: never live again (see the header)
  let lostSaid = false;
  let why = 'not subscribed yet';
  let renewing: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;

  function lose(reason: string): void {
    healthy = false;
    why = reason;
  }

  function advance(): void {
    while (ahead.delete(cursor + 1)) cursor += 1;
  }

  function accept(event: AccessTokenRevokedEvent, via: 'push' | 'catch-up'): void {
    const known = options.revoked.has(event.jti);
    if (!options.revoked.add(event.jti, event.exp)) full = true;
    // Traced once per revocation: a catch-up that repeats a pushed SET says nothing new.
    if (!known) emit('security_event.received', { jti: event.jti, seq: event.seq, via, spec: via === 'push' ? 'RFC 8935 §2; RFC 8417' : 'RFC 8417 (caught up from the cursor)' });
    if (event.epoch !== epoch || event.seq <= cursor) return;
    ahead.add(event.seq);
    advance();
    // A seq was skipped: a push was lost (or is late). Catch up now rather than at the next renewal.
    if (ahead.size > 0 && via === 'push') void renew();
  }

  async function subscribe(): Promise<void> {
    let keysVersion = options.keys.version;
    const endpoint = await options.endpoint();
    const response = await options.fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: options.authorization },
      body: new URLSearchParams({ delivery_url: options.deliveryUrl, ...(epoch ? { epoch, cursor: String(cursor) } : {}) }).toString(),
      signal: AbortSignal.timeout(AUTHORIZATION_SERVER_FETCH_TIMEOUT_MS),
    });
    if (response.status !== 200) throw new Error(`the revocation events endpoint answered HTTP ${response.status}`);
    const answer = parseJsonObject(await response.text());
    if (typeof answer.epoch !== 'string' || typeof answer.cursor !== 'number' || !Array.isArray(answer.sets)) {
      throw new Error('the revocation events answer is not { epoch, cursor, sets }');
    }
    const restarted = epoch !== undefined && answer.epoch !== epoch;
    if (answer.epoch !== epoch) {
      epoch = answer.epoch;
      cursor = 0;
      ahead.clear();
    }
    // A new AS run: its keys, not the old run's, vouch for tokens from now on (see the header).
    if (restarted) {
      await options.keys.reload();
      keysVersion = options.keys.version;
    }
    // Every SET is verified like a pushed one: the answer's channel is not what vouches for it.
    const events = await Promise.all(answer.sets.map((set) => options.verify(String(set))));
    for (const event of events) accept(event, 'catch-up');
    cursor = Math.max(cursor, answer.cursor);
    for (const seq of ahead) if (seq <= cursor) ahead.delete(seq);
    advance();
    const wasLive = isLive();
    lastGoodAt = now();
    healthy = true;
    keysVersionSeen = keysVersion;
    // Traced when the channel comes back, and when the AS turns out to have restarted.
    if ((!wasLive && isLive()) || (restarted && isLive())) {
      lostSaid = false;
      emit('revocation_channel.live', { epoch, cursor, caught_up: events.length, restarted, spec: 'RFC 8935 §2 (push); RFC 8417 SETs' });
    }
  }

  function renew(): Promise<void> {
    renewing ??= subscribe()
      .catch((error: unknown) => lose(error instanceof Error ? error.message : 'the authorization server could not be reached'))
      .finally(() => {
        renewing = undefined;
      });
    return renewing;
  }

  function isLive(): boolean {
    return healthy && !full && now() - lastGoodAt < LIVE_FOR_RENEWALS * options.renewMs;
  }

  function schedule(): void {
    if (!running) return;
    timer = setTimeout(() => void renew().then(schedule), isLive() ? options.renewMs : RECONNECT_MS);
    timer.unref();
  }

  return {
    isLive,
    // The first JWK Set fetch (version 1) is no news; a later one may be a restarted AS.
    needsConfirmation: () => options.keys.version > Math.max(keysVersionSeen, 1),
    noteFallback() {
      if (lostSaid) return;
      lostSaid = true;
      const reason = full ? 'the revoked-token set is full' : healthy ? 'no renewal for a while' : why;
      emit('revocation_channel.lost', { why: reason, spec: 'RFC 7662 §2 (introspection until the channel is back)' });
    },
    accept,
    renew,
    start() {
      if (running) return;
      running = true;
      void renew().then(schedule);
    },
    stop() {
      running = false;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
