/**
 * What selecting an arrow shows: its exchange (method, URL, status, the headers worth teaching,
 * the body with tokens shortened) and, beside it, the decisions it caused on the servers, each
 * with its rule and section, and the decoded token where one was issued, received or accepted.
 *
 * Rendered ahead of time, one hidden panel per arrow (`#d-<arrow id>`); the page's script only
 * shows one. Every string is escaped here (picture-escape.ts): the page holds no wire text unescaped.
 */
import { escapeHtml, shortenTokens } from './picture-escape.ts';
import { LANE_NAMES, type Arrow, type Decision } from './picture-types.ts';
import { PARTY_NAMES } from './trace-describe.ts';
import type { TokenClaims } from './trace.ts';

const show = (value: string) => escapeHtml(shortenTokens(value));

function headersTable(title: string, headers: Record<string, string>): string {
  const rows = Object.entries(headers);
  if (rows.length === 0) return '';
  return `<h4>${title}</h4><table class="headers">${rows.map(([k, v]) => `<tr><th>${show(k)}</th><td>${show(v)}</td></tr>`).join('')}</table>`;
}

const CLAIM_ORDER: (keyof TokenClaims)[] = ['iss', 'sub', 'aud', 'client_id', 'scope', 'exp', 'iat', 'jti'];

function claimValue(key: keyof TokenClaims, value: unknown): string {
  if ((key === 'exp' || key === 'iat') && typeof value === 'number') return `${value} (${new Date(value * 1000).toISOString()})`;
  return Array.isArray(value) ? value.join(' ') : String(value);
}

/** The decoded access token: its claims, never the token itself. */
export function claimsTable(claims: TokenClaims): string {
  const rows = CLAIM_ORDER.filter((k) => claims[k] !== undefined)
    .map((k) => `<tr><th>${k}</th><td>${show(claimValue(k, claims[k]))}</td></tr>`);
  return `<table class="claims"><caption>decoded access token</caption>${rows.join('')}</table>`;
}

function decisionItem(d: Decision): string {
  return `<li class="decision${d.refused ? ' refused' : ''}"><span class="who">${escapeHtml(PARTY_NAMES[d.party])}</span> ` +
    `<code>${escapeHtml(d.kind)}</code> ${show(d.text)}` +
    `${d.spec ? ` <span class="spec">${show(d.spec)}</span>` : ''}${d.claims ? claimsTable(d.claims) : ''}</li>`;
}

export function arrowDetails(arrow: Arrow): string {
  const x = arrow.exchange;
  const channel = arrow.channel === 'front' ? 'front channel: carried by the browser' : 'back channel: a direct request';
  const facts = [
    ['from → to', `${LANE_NAMES[arrow.from]} → ${LANE_NAMES[arrow.to]}`],
    ['channel', channel],
    ...(x.method ? [['method', x.method]] : []),
    ...(x.url ? [['URL', x.url]] : []),
    ...(x.status !== undefined ? [['status', String(x.status)]] : []),
    ...(arrow.attack ? [['sent as', 'an attack: the attempt of a contrast or scenario']] : []),
  ];
  const decisions = arrow.decisions.length > 0
    ? `<h4>What it caused: the decisions</h4><ul class="decisions">${arrow.decisions.map(decisionItem).join('')}</ul>`
    : '<p class="quiet">No decision was recorded for this exchange.</p>';
  return `<article class="detail${arrow.refused ? ' refused' : ''}" id="d-${arrow.id}" hidden>` +
    `<h3>${show(arrow.label)}</h3>` +
    `<dl>${facts.map(([k, v]) => `<dt>${k}</dt><dd>${show(v!)}</dd>`).join('')}</dl>` +
    `${headersTable('Request headers', x.requestHeaders)}${x.requestBody ? `<h4>Request body</h4><pre>${show(x.requestBody)}</pre>` : ''}` +
    `${headersTable('Response headers', x.responseHeaders)}${x.responseBody ? `<h4>Response body</h4><pre>${show(x.responseBody)}</pre>` : ''}` +
    `${decisions}</article>`;
}
