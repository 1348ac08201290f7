import { describe, expect, it } from 'vitest';
import { StepFailure } from './step-failure.ts';
import { challengedScopes, stepUpScopes } from './step-up.ts';

describe('step-up scopes (MCP 2026-07-28, SEP-2350)', () => {
  it.each([
    { rule: 'requested ∪ challenged: the held scope is kept', held: ['mcp:connect'], requested: ['mcp:connect'], challenged: ['mcp:connect', 'weather:read'], asks: ['mcp:connect', 'weather:read'] },
    { rule: 'a challenge naming only the new scope still keeps the old one', held: ['mcp:connect'], requested: ['mcp:connect'], challenged: ['weather:read'], asks: ['mcp:connect', 'weather:read'] },
    { rule: 'a scope requested but not granted is asked for again', held: ['mcp:connect'], requested: ['mcp:connect', 'files:read'], challenged: ['weather:read'], asks: ['mcp:connect', 'files:read', 'weather:read'] },
  ])('$rule', ({ held, requested, challenged, asks }) => {
    expect(stepUpScopes({ held, requested, challenged })).toEqual(asks);
  });

  it('stops when the challenge names only scopes the token already holds', () => {
    expect(() => stepUpScopes({ held: ['mcp:connect', 'weather:read'], requested: ['mcp:connect'], challenged: ['weather:read'] })).toThrow(StepFailure);
  });

  it('reads the challenge scope as space-delimited tokens', () => {
    expect(challengedScopes('mcp:connect  weather:read')).toEqual(['mcp:connect', 'weather:read']);
    expect(challengedScopes(undefined)).toEqual([]);
  });
});
