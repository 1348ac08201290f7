import { describe, expect, it } from 'vitest';
import { formatReport, judge, type BenchReport } from './report.ts';

const figures = (rate: number) => ({ requests: 10_000, rate, p50: 2, p99: 9 });

function report(overrides: Partial<BenchReport> = {}): BenchReport {
  return {
    node: 'v20.20.2',
    startup: { listenedAt: { 'authorization-server': 300, 'resource-server': 320, 'client-host': 250 }, allListening: 320 },
    rss: { idle: { 'authorization-server': 55, 'resource-server': 60, 'client-host': 50 }, afterLoad: { 'resource-server': 80 } },
    rs: { ours: figures(1900), oursIntrospected: figures(1950), sdkNoAuth: figures(2000), bareHono: figures(9000) },
    revocation: { n: 100, p50: 1.2, p99: 4.5, max: 6, acceptedAfter: 0 },
    as: { batches: [{ flows: 10_000, rate: 1200, p50: 5, p99: 9 }, { flows: 10_000, rate: 1150, p50: 5, p99: 9 }], signBaseline: figures(2500) },
    journey: { n: 20, p50: 40, p95: 60 },
    demo: { wallMs: 900, journeyMs: 120, runs: [], pnpmFloorMs: 600 },
    https: { pairs: [], addsMs: 90, journeyAddsMs: 40 },
    page: { bytes: 80_000, events: 400, firstMs: 20, medianMs: 5, n: 20 },
    ...overrides,
  };
}

describe('the benchmark judges its targets from the measured figures', () => {
  it('marks every target met when the figures meet them', () => {
    expect(judge(report()).filter((t) => !t.met)).toEqual([]);
  });

  it.each([
    ['a revoked token refused by the RS ≤ 250 ms, p99', { revocation: { n: 100, p50: 2, p99: 251, max: 300, acceptedAfter: 3 } }],
    ['RS authenticated (push on) / unauthenticated SDK ≥ 0.90', { rs: { ours: figures(1700), oursIntrospected: figures(1950), sdkNoAuth: figures(2000), bareHono: figures(9000) } }],
    ['AS flat: last batch within 10% of the first', { as: { batches: [{ flows: 1, rate: 1200, p50: 1, p99: 1 }, { flows: 1, rate: 1000, p50: 1, p99: 1 }], signBaseline: figures(2500) } }],
    ['AS ≥ 1,000 flows/s at concurrency 8', { as: { batches: [{ flows: 1, rate: 990, p50: 1, p99: 1 }, { flows: 1, rate: 990, p50: 1, p99: 1 }], signBaseline: figures(2500) } }],
    ['pnpm demo, command to exit, median of 5 ≤ 1000 ms', { demo: { wallMs: 1001, journeyMs: 100, runs: [], pnpmFloorMs: 600 } }],
    ['--https adds ≤ 150 ms to pnpm demo (CA made)', { https: { pairs: [], addsMs: 151, journeyAddsMs: 60 } }],
    ['idle RSS of each server ≤ 70 MB', { rss: { idle: { 'resource-server': 71 }, afterLoad: {} } }],
    ['the page of a default run (--html) < 300 KB', { page: { bytes: 300 * 1024, events: 400, firstMs: 20, medianMs: 5, n: 20 } }],
    ['drawing and writing it adds < 50 ms to pnpm demo', { page: { bytes: 80_000, events: 400, firstMs: 50, medianMs: 5, n: 20 } }],
  ] as [string, Partial<BenchReport>][])('fails "%s" when the figure misses it', (name, overrides) => {
    const missed = judge(report(overrides)).filter((t) => !t.met).map((t) => t.name);
    expect(missed).toEqual([name]);
  });

  it('prints the ratio it judges to three places, so a miss never reads as the target', () => {
    // 1,792 / 2,000 = 0.896: "0.90" beside a ✘ looked like a wrong verdict.
    const text = formatReport(report({ rs: { ours: figures(1792), oursIntrospected: figures(1950), sdkNoAuth: figures(2000), bareHono: figures(9000) } }));
    expect(text).toMatch(/✘ RS authenticated \(push on\) \/ unauthenticated SDK ≥ 0\.90 0\.896/);
  });

  it('prints both ratios and every target in the table', () => {
    const text = formatReport(report());
    expect(text).toContain('ours/(a) 0.95');
    expect(text).toContain('introspecting/(a) 0.97');
    expect(text).toContain('p50 1.2 ms   p99 4.5 ms   max 6.0 ms   requests accepted after the answer: 0');
    expect(text).toContain('(a)/(b) 0.22');
    expect(text.match(/^ {2}[✔✘] /gm)).toHaveLength(10);
    expect(text).toContain("of which pnpm starting an empty node, the floor of any pnpm command here: 600.0 ms; the lab's own part: 300.0 ms");
    expect(text).toContain('pnpm demo --https, the CA made, 0 runs each paired with one without: adds 90.0 ms (the journey: 40.0 ms)');
    expect(text).toContain('the page of a run (--html): 78 KB from 400 events; drawn and written in 20.0 ms the first time, 5.0 ms median of 20 more');
  });
});
