/**
 * Reading the project's Markdown the way GitHub renders it, for test/docs.test.ts: the heading
 * anchors of a page, its links, and the `pnpm …` commands it shows.
 */

/** The lines of a page outside fenced code blocks, and the fenced blocks with their language. */
export function splitFences(markdown: string): { prose: string[]; blocks: { lang: string; lines: string[] }[] } {
  const prose: string[] = [];
  const blocks: { lang: string; lines: string[] }[] = [];
  let open: { lang: string; lines: string[]; fence: string } | undefined;
  for (const line of markdown.split('\n')) {
    const fence = /^\s*(`{3,}|~{3,})\s*([\w-]*)/.exec(line);
    if (open) {
      if (fence && fence[1]!.startsWith(open.fence) && line.trim() === fence[1]) {
        blocks.push({ lang: open.lang, lines: open.lines });
        open = undefined;
      } else open.lines.push(line);
    } else if (fence) open = { lang: fence[2] ?? '', lines: [], fence: fence[1]! };
    else prose.push(line);
  }
  return { prose, blocks };
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link keeps its text
    .replace(/`/g, '')
    .replace(/<[^>]+>/g, '');
  return text.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** Every anchor a page offers: its headings' slugs, repeated ones numbered as GitHub does. */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const found = new Set<string>();
  for (const line of splitFences(markdown).prose) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1]!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    found.add(count === 0 ? base : `${base}-${count}`);
  }
  return found;
}

/** The targets of a page's links and images, outside code (fenced or inline). */
export function linkTargets(markdown: string): string[] {
  const prose = splitFences(markdown).prose.join('\n').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
}

/**
 * The `pnpm …` commands a page shows: every inline code span that is one, and every line of a
 * shell block (```sh) that is one, without its `# comment`. Environment assignments in front
 * (`NO_COLOR=1 pnpm demo`) are dropped.
 */
export function shownCommands(markdown: string): string[] {
  const { prose, blocks } = splitFences(markdown);
  const command = /^\s*(?:[A-Z][A-Z0-9_]*=\S+\s+)*(pnpm\s.*|pnpm)$/;
  const found: string[] = [];
  for (const span of prose.join('\n').matchAll(/`([^`\n]+)`/g)) {
    const match = command.exec(span[1]!);
    if (match) found.push(match[1]!.trim());
  }
  for (const block of blocks.filter((b) => ['sh', 'bash', 'shell'].includes(b.lang))) {
    for (const line of block.lines) {
      const match = command.exec(line.replace(/\s#\s.*$/, ''));
      if (match) found.push(match[1]!.trim());
    }
  }
  return found;
}

/** Shell words, with '…' and "…" quoting. */
export function shellWords(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/**
 * A command line as shown, with its notation spelled out: `[--a|--b]` (optional, one of) and
 * `--spec x|y` (one of) become one concrete argument list per alternative.
 */
export function variants(words: string[]): string[][] {
  let lists: string[][] = [[]];
  for (const word of words) {
    const optional = /^\[(.*)\]$/.exec(word);
    const alternatives = (optional ? optional[1]! : word).split('|');
    lists = lists.flatMap((list) => alternatives.map((alternative) => [...list, ...alternative.split(/\s+/).filter(Boolean)]));
  }
  return lists;
}

export interface UsageFlag {
  /** The values the usage text allows, when it lists them (`--spec 2025-11-25|2026-07-28`). */
  choices?: string[];
  takesValue: boolean;
}

/**
 * The flags a usage text names (`--quick`, `--spec a|b`, `--diagram FILE`): the last word of
 * the usage is what a script without an exported option table is checked against.
 */
export function usageFlags(usage: string): Map<string, UsageFlag> {
  const flags = new Map<string, UsageFlag>();
  for (const m of usage.matchAll(/--([a-z][a-z0-9-]*)(?:[ =]([^\s\]|]+(?:\|[^\s\]|]+)*))?/g)) {
    const value = m[2];
    const takesValue = value !== undefined && !value.startsWith('-') && !value.startsWith('(');
    const alternatives = takesValue ? value.split('|') : [];
    // A placeholder (FILE, N, auth/NAME) allows any value; literal alternatives are choices.
    const literal = alternatives.filter((a) => !/[A-Z]/.test(a));
    const open = alternatives.length > literal.length;
    // A flag named again (in the usage line, then in its explanation) adds to what it allows.
    const before = flags.get(m[1]!);
    if (before?.takesValue && !takesValue) continue;
    const choices = before?.takesValue && !before.choices ? undefined : [...(before?.choices ?? []), ...literal];
    flags.set(m[1]!, { takesValue, ...(takesValue && !open && choices && { choices }) });
  }
  return flags;
}
