/**
 * The README, CONTRIBUTING.md and docs/*.md stay true to the project: every relative link resolves (the file,
 * and the #anchor when it names one), and every `pnpm …` command they show is one the CLI
 * accepts, parsed by the command's own option table (demo, serve), its own parser (client),
 * or the usage line its script declares (bench, soak, conformance).
 */
import { CLIENT_USAGE, parseClientArgs } from '@mcp-auth-demo/client';
import { DEMO_OPTIONS, DEMO_USAGE, SCENARIOS, SERVE_OPTIONS, SERVE_USAGE, urlsFromPortFlags } from '@mcp-auth-demo/stack';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { describe, expect, it } from 'vitest';
import { anchors, linkTargets, shellWords, shownCommands, usageFlags, variants, type UsageFlag } from './support/markdown.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const pages = ['README.md', 'CONTRIBUTING.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const packageScripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);

/** Why a link does not resolve, or undefined when it does. */
function brokenLink(page: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // https:, mailto: (not ours to check)
  const [path = '', anchor] = target.split('#');
  const file = path === '' ? join(root, page) : resolve(dirname(join(root, page)), decodeURIComponent(path));
  if (relative(root, file).startsWith('..')) return 'points outside the repository';
  if (!existsSync(file)) return 'no such file';
  if (anchor === undefined || anchor === '') return undefined;
  if (statSync(file).isDirectory() || !file.endsWith('.md')) return 'an anchor into a file that is not Markdown';
  return anchors(readFileSync(file, 'utf8')).has(anchor) ? undefined : `no heading with the anchor #${anchor}`;
}

/** A usage line's notation for "some value here", spelled out so a parser can read it. */
function concrete(word: string): string {
  if (/^<.*>$/.test(word) || word === 'URL') return 'http://localhost:8001/mcp';
  if (word === 'FILE') return 'out.txt';
  if (word === 'N') return '19000';
  if (word === 'NAME') return 'list'; // --scenario NAME: `list` is always one
  return word;
}

/** Checks argv against an option table with the real parseArgs (unknown flags and missing values throw). */
function parseWith(options: ParseArgsConfig['options'], argv: string[]): Record<string, string | boolean | undefined> {
  // Without the defaults, so that only what the command line says is checked against the usage.
  const given = Object.fromEntries(Object.entries(options ?? {}).map(([flag, { default: _default, ...rest }]) => [flag, rest]));
  return parseArgs({ args: argv, options: given, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
}

/** The words of a client command line that are not flags or their values: the server URL. */
function clientPositionals(argv: string[]): string[] {
  const usage = usageFlags(CLIENT_USAGE);
  return argv.filter((word, i) => !word.startsWith('--') && !(argv[i - 1]?.startsWith('--') && usage.get(argv[i - 1]!.slice(2))?.takesValue));
}

/** The values a usage text lists as choices, for the flags that have them. */
function checkChoices(usage: Map<string, UsageFlag>, values: Record<string, unknown>): void {
  for (const [flag, value] of Object.entries(values)) {
    const choices = usage.get(flag)?.choices;
    if (typeof value === 'string' && choices && !choices.includes(value)) throw new Error(`--${flag} ${value}: the usage allows ${choices.join('|')}`);
  }
}

/** A script's own usage line (`pnpm bench [--quick] [--json]` in its header), as parseArgs options. */
function scriptUsage(name: string): Map<string, UsageFlag> {
  const line = new RegExp(`pnpm ${name}( .*)?$`, 'm').exec(read(`scripts/${name}.ts`));
  if (!line) throw new Error(`scripts/${name}.ts declares no usage line`);
  return usageFlags(line[1] ?? '');
}

function checkByUsage(usage: Map<string, UsageFlag>, argv: string[]): void {
  const options = Object.fromEntries([...usage].map(([flag, { takesValue }]) => [flag, { type: takesValue ? 'string' : 'boolean' } as const]));
  checkChoices(usage, parseWith(options, argv));
}

/** Throws, saying why, unless the CLI accepts this command line. */
function accept(argv: string[]): void {
  const [, command = '', ...rest] = argv;
  switch (command) {
    case '': // `pnpm` itself, named
      return;
    case 'demo': {
      const values = parseWith(DEMO_OPTIONS, rest);
      checkChoices(usageFlags(DEMO_USAGE), values);
      urlsFromPortFlags(values as Record<string, string | undefined>);
      const scenario = values.scenario;
      if (typeof scenario === 'string' && !['list', 'all', ...SCENARIOS.map((s) => s.name)].includes(scenario)) throw new Error(`no scenario ${scenario}`);
      return;
    }
    case 'serve':
    {
      const values = parseWith(SERVE_OPTIONS, rest);
      checkChoices(usageFlags(SERVE_USAGE), values);
      urlsFromPortFlags(values as Record<string, string | undefined>);
      return;
    }
    case 'client': {
      // A mention of the command with some of its flags names no server: any URL will do.
      const named = clientPositionals(rest).length > 0 || rest.includes('--help');
      parseClientArgs(named ? rest : [...rest, 'http://localhost:8001/mcp']);
      return;
    }
    case 'bench':
    case 'soak':
    case 'conformance':
      checkByUsage(scriptUsage(command), rest);
      return;
    case 'vitest': {
      const [sub, ...files] = rest;
      if (sub !== 'run') throw new Error('pnpm vitest: only `run` is shown');
      for (const file of files) if (!existsSync(join(root, file))) throw new Error(`no such test file ${file}`);
      return;
    }
    default:
      if (command !== 'install' && !packageScripts.includes(command)) throw new Error(`no package.json script "${command}"`);
      if (rest.length > 0 && command !== 'install') throw new Error(`pnpm ${command} is shown with arguments it does not take`);
  }
}

describe('the README and docs/*.md', () => {
  it('link only to files and headings that exist', () => {
    const broken = pages.flatMap((page) =>
      linkTargets(read(page)).flatMap((target) => {
        const why = brokenLink(page, target);
        return why ? [`${page}: (${target}) ${why}`] : [];
      }),
    );
    expect(broken).toEqual([]);
  });

  it('link every docs page from the README', () => {
    const linked = new Set(linkTargets(read('README.md')).map((t) => t.split('#')[0]));
    expect(pages.filter((p) => p.startsWith('docs/') && !linked.has(p))).toEqual([]);
  });

  it('show only pnpm commands the CLI accepts', () => {
    const refused: string[] = [];
    let checked = 0;
    for (const page of pages) {
      for (const line of shownCommands(read(page))) {
        const words = shellWords(line).filter((w) => w !== '...' && w !== '…').map(concrete);
        for (const argv of variants(words)) {
          checked += 1;
          try {
            accept(argv);
          } catch (error) {
            refused.push(`${page}: ${line}: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      }
    }
    expect(refused).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });
});

describe('the docs checker itself', () => {
  it.each([
    { rule: 'an unknown demo flag', argv: ['pnpm', 'demo', '--no-such-flag'] },
    { rule: 'a demo flag without its value', argv: ['pnpm', 'demo', '--diagram'] },
    { rule: 'a value outside the usage text', argv: ['pnpm', 'demo', '--registration', 'oauth'] },
    { rule: 'an unknown scenario', argv: ['pnpm', 'demo', '--scenario', 'no-such-scenario'] },
    { rule: 'a port that is no port', argv: ['pnpm', 'serve', '--as-port', '70000'] },
    { rule: 'a client URL without a scheme', argv: ['pnpm', 'client', 'localhost:1/mcp'] },
    { rule: 'a bench flag its usage line lacks', argv: ['pnpm', 'bench', '--slow'] },
    { rule: 'a conformance revision the usage line lacks', argv: ['pnpm', 'conformance', '--spec', '2024-11-05'] },
    { rule: 'a script package.json lacks', argv: ['pnpm', 'deploy'] },
    { rule: 'a test file that does not exist', argv: ['pnpm', 'vitest', 'run', 'test/no-such.test.ts'] },
  ])('refuses $rule', ({ argv }) => {
    expect(() => accept(argv)).toThrow();
  });

  it('accepts the commands of the usage texts themselves', () => {
    for (const argv of [
      ['pnpm', 'demo', '--spec', 'auto', '--as', 'oidc-provider', '--diagram', 'out.mmd'],
      ['pnpm', 'serve', '--report', 'v.json', '--lenient'],
      ['pnpm', 'client', 'http://localhost:8001/mcp', '--call', 'whoami', '--args', '{}'],
      ['pnpm', 'conformance', '--spec', '2026-07-28', '--all'],
      ['pnpm', 'soak', '--journeys', '10'],
    ]) expect(() => accept(argv), argv.join(' ')).not.toThrow();
    expect(clientPositionals(['--spec', 'auto', 'http://x/mcp', '--browser'])).toEqual(['http://x/mcp']);
  });

  it('finds a broken anchor and a missing file', () => {
    expect(brokenLink('README.md', 'docs/journey.md#no-such-heading')).toMatch(/anchor/);
    expect(brokenLink('README.md', 'docs/no-such-page.md')).toBe('no such file');
    expect(brokenLink('docs/journey.md', '../README.md#the-picture')).toBeUndefined();
  });
});
