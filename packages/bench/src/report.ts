/** The benchmark's figures as a table for people, or as JSON; and each target, met or not. */
import type { Party } from '@mcp-auth-demo/trace';
import type { AsFigures } from './as-flows.ts';
import type { DemoRun, HttpsCost } from './demo-runs.ts';
import type { PageFigures } from './page-cost.ts';
import type { RevocationLatencyFigures } from './revocation-latency.ts';
import type { RsFigures } from './rs-throughput.ts';

export interface BenchReport {
  node: string;
  startup: { listenedAt: Partial<Record<Party, number>>; allListening: number };
  rss: { idle: Partial<Record<Party, number>>; afterLoad: Partial<Record<Party, number>> };
  rs: RsFigures;
  /** Revocation by push: the AS's answer to the RS's first refusal (revocation-latency.ts). */
  revocation: RevocationLatencyFigures;
  as: AsFigures;
  journey: { n: number; p50: number; p95: number };
  /** `pnpmFloorMs`: pnpm starting one empty node (demo-runs.ts measurePnpmFloor), inside `wallMs`. */
  demo: { wallMs: number; journeyMs: number; runs: DemoRun[]; pnpmFloorMs: number };
  /** What `pnpm demo --https` adds, the CA made beforehand (paired runs). */
  https: HttpsCost;
  /** `pnpm demo --html`: the page of a default run, and drawing it. */
  page: PageFigures;
}

export interface Target {
  name: string;
  measured: string;
  met: boolean;
}

/** The targets of the performance work, judged from the report. */
export function judge(report: BenchReport): Target[] {
  const { rs, as, demo, rss, page, revocation, https } = report;
  const authRatio = rs.ours.rate / rs.sdkNoAuth.rate;
  const first = as.batches[0]!.rate;
  const last = as.batches.at(-1)!.rate;
  const idle = Object.values(rss.idle).filter((v): v is number => v !== undefined);
  return [
    { name: 'pnpm demo, command to exit, median of 5 ≤ 1000 ms', measured: `${demo.wallMs.toFixed(0)} ms (pnpm alone ${demo.pnpmFloorMs.toFixed(0)} ms)`, met: demo.wallMs <= 1000 },
    { name: '--https adds ≤ 150 ms to pnpm demo (CA made)', measured: `${https.addsMs.toFixed(0)} ms (median of ${https.pairs.length} pairs)`, met: https.addsMs <= 150 },
    { name: 'the journey inside pnpm demo < 150 ms', measured: `${demo.journeyMs.toFixed(0)} ms`, met: demo.journeyMs < 150 },
    { name: 'RS authenticated (push on) / unauthenticated SDK ≥ 0.90', measured: authRatio.toFixed(3), met: authRatio >= 0.9 },
    { name: 'a revoked token refused by the RS ≤ 250 ms, p99', measured: `${revocation.p99.toFixed(1)} ms (${revocation.acceptedAfter} accepted after)`, met: revocation.p99 <= 250 },
    { name: 'AS ≥ 1,000 flows/s at concurrency 8', measured: `${Math.min(...as.batches.map((b) => b.rate)).toFixed(0)} flows/s (slowest batch)`, met: as.batches.every((b) => b.rate >= 1000) },
    { name: 'AS flat: last batch within 10% of the first', measured: `${((last / first) * 100).toFixed(0)}%`, met: last >= first * 0.9 },
    { name: 'the page of a default run (--html) < 300 KB', measured: `${(page.bytes / 1024).toFixed(0)} KB`, met: page.bytes < 300 * 1024 },
    { name: 'drawing and writing it adds < 50 ms to pnpm demo', measured: `${page.firstMs.toFixed(1)} ms (first)`, met: page.firstMs < 50 },
    { name: 'idle RSS of each server ≤ 70 MB', measured: `${Math.max(...idle).toFixed(0)} MB (largest)`, met: idle.every((mb) => mb <= 70) },
  ];
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
/** autocannon measures latency in whole milliseconds. */
const lat = (v: number) => (v < 1 ? '<1 ms' : `${v.toFixed(0)} ms`);
const perS = (v: number) => `${v.toFixed(0)}/s`;
const mb = (v: number | undefined) => (v === undefined ? 'n/a' : `${v.toFixed(0)} MB`);
const PARTIES: Party[] = ['authorization-server', 'resource-server', 'client-host'];

export function formatReport(report: BenchReport): string {
  const { rs, as } = report;
  const lines = [
    `mcp-auth-demo benchmark · Node ${report.node} · loopback only · load by autocannon, 8 connections`,
    '',
    'start-up (spawn → listening)',
    ...PARTIES.map((p) => `  ${p.padEnd(22)} ${ms(report.startup.listenedAt[p] ?? Number.NaN).padStart(10)}`),
    `  ${'all three'.padEnd(22)} ${ms(report.startup.allListening).padStart(10)}`,
    '',
    'memory (RSS)                      idle   after the RS load',
    ...PARTIES.map((p) => `  ${p.padEnd(28)} ${mb(report.rss.idle[p]).padStart(7)}   ${mb(report.rss.afterLoad[p]).padStart(7)}`),
    '',
    `RS tools/call (whoami), ${rs.ours.requests} requests each     rate        p50      p99`,
    `  ours (revocation by push)        ${perS(rs.ours.rate).padStart(8)} ${lat(rs.ours.p50).padStart(9)} ${lat(rs.ours.p99).padStart(8)}`,
    `  ours, introspecting each request ${perS(rs.oursIntrospected.rate).padStart(8)} ${lat(rs.oursIntrospected.p50).padStart(9)} ${lat(rs.oursIntrospected.p99).padStart(8)}`,
    `  (a) same SDK layer, no auth      ${perS(rs.sdkNoAuth.rate).padStart(8)} ${lat(rs.sdkNoAuth.p50).padStart(9)} ${lat(rs.sdkNoAuth.p99).padStart(8)}`,
    `  (b) bare Hono                    ${perS(rs.bareHono.rate).padStart(8)} ${lat(rs.bareHono.p50).padStart(9)} ${lat(rs.bareHono.p99).padStart(8)}`,
    `  ours/(a) ${(rs.ours.rate / rs.sdkNoAuth.rate).toFixed(2)}   introspecting/(a) ${(rs.oursIntrospected.rate / rs.sdkNoAuth.rate).toFixed(2)}   (a)/(b) ${(rs.sdkNoAuth.rate / rs.bareHono.rate).toFixed(2)}`,
    '',
    `revocation by push, ${report.revocation.n} code replays: the AS's answer → the RS's first 401`,
    `  p50 ${ms(report.revocation.p50)}   p99 ${ms(report.revocation.p99)}   max ${ms(report.revocation.max)}   requests accepted after the answer: ${report.revocation.acceptedAfter}`,
    '',
    'AS authorize + token flows, in consecutive batches      flows/s      p50      p99',
    ...as.batches.map((b, i) => `  batch ${i + 1} (${b.flows} flows)                          ${perS(b.rate).padStart(8)} ${lat(b.p50).padStart(8)} ${lat(b.p99).padStart(8)}`),
    `  bare Hono, one RS256 sign per request                ${perS(as.signBaseline.rate).padStart(8)} ${lat(as.signBaseline.p50).padStart(8)} ${lat(as.signBaseline.p99).padStart(8)}`,
    `  flows/s ÷ signs/s ${(as.batches[0]!.rate / as.signBaseline.rate).toFixed(2)}`,
    '',
    `whole journey (2 authorizations, 3 calls), n=${report.journey.n}: p50 ${ms(report.journey.p50)}  p95 ${ms(report.journey.p95)}`,
    `pnpm demo end to end, cold, median of ${report.demo.runs.length}: ${ms(report.demo.wallMs)} (the journey inside it: ${ms(report.demo.journeyMs)})`,
    `  of which pnpm starting an empty node, the floor of any pnpm command here: ${ms(report.demo.pnpmFloorMs)}; the lab's own part: ${ms(report.demo.wallMs - report.demo.pnpmFloorMs)}`,
    `pnpm demo --https, the CA made, ${report.https.pairs.length} runs each paired with one without: adds ${ms(report.https.addsMs)} (the journey: ${ms(report.https.journeyAddsMs)})`,
    `the page of a run (--html): ${(report.page.bytes / 1024).toFixed(0)} KB from ${report.page.events} events; drawn and written in ${ms(report.page.firstMs)} the first time, ${ms(report.page.medianMs)} median of ${report.page.n} more`,
    '',
    'targets',
    ...judge(report).map((t) => `  ${t.met ? '✔' : '✘'} ${t.name.padEnd(52)} ${t.measured}`),
  ];
  return `${lines.join('\n')}\n`;
}

export function printReport(report: BenchReport, json: boolean): void {
  process.stdout.write(json ? `${JSON.stringify({ ...report, targets: judge(report) }, null, 2)}\n` : formatReport(report));
}
