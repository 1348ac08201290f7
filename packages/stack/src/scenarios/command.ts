/**
 * `pnpm demo --scenario NAME|list|all`: run attacks and mistakes against the lab's real servers
 * and show the rule that stops each. Exit 0 when every defence held, 1 (with the reason) when one
 * did not.
 */
import type { TraceSink } from '@mcp-auth-demo/trace';
import type { Fetch } from '@mcp-auth-demo/client';
import { SCENARIOS } from './catalogue.ts';
import { runScenario, scenarioContext, SHORT_LIVED_TOKEN_SECONDS, type Outcome, type Scenario, type ScenarioUrls } from './kit.ts';
import { freePort } from '../ports.ts';
import type { ExtraMcpServer } from '../stack.ts';

export { SCENARIOS };

/** `--scenario list`: every scenario with its one-line description. */
export function formatScenarioList(): string {
  const width = Math.max(...SCENARIOS.map((s) => s.name.length));
  return `${SCENARIOS.map((s) => `  ${s.name.padEnd(width)}  ${s.description}`).join('\n')}\n`;
}

/** The scenarios a `--scenario` value names, or an error that lists the valid names. */
export function selectScenarios(value: string): Scenario[] {
  if (value === 'all') return SCENARIOS;
  const found = SCENARIOS.find((s) => s.name === value);
  if (!found) throw new Error(`unknown scenario "${value}"; one of: list, all, ${SCENARIOS.map((s) => s.name).join(', ')}`);
  return [found];
}

/**
 * The extra MCP servers `scenarios` need, each at a free loopback port: the other server of
 * token-for-another-server, the short-lived one of expired-token.
 */
export async function extraServersFor(scenarios: Scenario[]): Promise<{ urls: Partial<ScenarioUrls>; servers: ExtraMcpServer[] }> {
  const needs = new Set(scenarios.flatMap((s) => s.needs ?? []));
  const urls: Partial<ScenarioUrls> = {};
  const servers: ExtraMcpServer[] = [];
  if (needs.has('other-server')) {
    urls.otherResource = `http://localhost:${await freePort()}/mcp`;
    servers.push({ resource: urls.otherResource });
  }
  if (needs.has('short-lived-server')) {
    urls.shortLivedResource = `http://localhost:${await freePort()}/mcp`;
    servers.push({ resource: urls.shortLivedResource, tokenTtlSeconds: SHORT_LIVED_TOKEN_SECONDS });
  }
  return { urls, servers };
}

export interface ScenarioResult {
  scenario: Scenario;
  outcome: Outcome;
  ms: number;
}

export async function runScenarios(scenarios: Scenario[], urls: ScenarioUrls, fetch: Fetch, sink: TraceSink): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    const started = performance.now();
    const outcome = await runScenario(scenario, scenarioContext(urls, fetch, sink));
    results.push({ scenario, outcome, ms: Math.round(performance.now() - started) });
  }
  return results;
}

const WHO = { client: 'client', 'authorization-server': 'AS', 'resource-server': 'RS', 'client-host': 'client-host' } as const;

/** The closing table of `--scenario all`: scenario, who refused, how, held or not. */
export function formatScenarioTable(results: ScenarioResult[]): string {
  const rows = results.map(({ scenario, outcome, ms }) => [
    scenario.name,
    outcome.held ? WHO[outcome.refusal.by] : '-',
    outcome.held ? [outcome.refusal.status, outcome.refusal.error].filter((x) => x !== undefined && x !== '').join(' ') || 'refused' : outcome.why,
    outcome.held ? 'held' : 'NOT HELD',
    `${ms} ms`,
  ]);
  const header = ['scenario', 'refused by', 'how', 'defence', 'time'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd();
  return `\n${[line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`;
}

/** The message for exit 1: which defences did not hold. */
export function notHeldMessage(results: ScenarioResult[]): string | undefined {
  const broken = results.filter((r) => !r.outcome.held);
  if (broken.length === 0) return undefined;
  return `defence NOT held in ${broken.map((r) => `${r.scenario.name}: ${r.outcome.held ? '' : r.outcome.why}`).join('; ')}`;
}
