import { describe, expect, it } from 'vitest';
import { formatSoak, parseSoakArgs, type SoakReport } from './soak.ts';

describe('pnpm soak flags', () => {
  it('leaves an absent flag to runSoak, so its 45 s settle and 20 warm-up journeys apply', () => {
    // The parser once had a default of its own ('20') that silently overrode SETTLE_SECONDS.
    expect(parseSoakArgs([])).toEqual({ journeys: 1000, concurrency: 100, rounds: undefined, settleSeconds: undefined, warmUpJourneys: undefined });
  });

  it('bounds what it is given, and takes 0 warm-up journeys as none', () => {
    expect(parseSoakArgs(['--journeys', '99999', '--concurrency', '0', '--settle', '5', '--warm-up', '0'])).toMatchObject({ journeys: 10_000, concurrency: 1, settleSeconds: 5, warmUpJourneys: 0 });
  });

  it('refuses a flag it does not know', () => {
    expect(() => parseSoakArgs(['--journies', '5'])).toThrow(/journies/);
  });
});

describe('formatSoak', () => {
  const report = (warm: SoakReport['warm']): SoakReport => ({
    journeys: 10,
    concurrency: 2,
    settleSeconds: 45,
    failures: [],
    serverErrors: [],
    before: { 'authorization-server': 50, 'resource-server': 60 },
    warmUpJourneys: warm ? 20 : 0,
    warm,
    rounds: [{ failures: 0, serverErrors: 0, seconds: 1, p50: 10, p95: 20, after: { 'authorization-server': 90, 'resource-server': 100 }, settled: { 'authorization-server': 55, 'resource-server': 72 } }],
  });

  it('prints the settled RSS against the cold idle and the warm one', () => {
    const text = formatSoak(report({ 'authorization-server': 50, 'resource-server': 70 }));
    expect(text).toMatch(/resource-server +60 MB → +70 MB → +72 MB/);
    expect(text).toMatch(/authorization-server +\+10% +\+10%/);
    expect(text).toMatch(/resource-server +\+20% +\+3%/);
  });

  it('without a warm-up, prints the cold comparison only', () => {
    const text = formatSoak(report(undefined));
    expect(text).not.toMatch(/vs warm/);
    expect(text).toMatch(/resource-server +60 MB → +72 MB/);
    expect(text).toMatch(/resource-server +\+20%\n/);
  });
});
