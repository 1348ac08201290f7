/**
 * Reading a page of `pnpm demo --html` (packages/trace/src/picture-page.ts) back in a test
 * without a browser: its arrows, the panel of one, the titles of its sections. The markup is
 * the renderer's own, so plain patterns over it are enough; the browser test reads the DOM.
 * And the arrows of the picture's model beside those of the Mermaid diagram, to check they agree.
 */
import { buildPicture, formatMermaid, terminalSafe, type TraceEvent } from '@mcp-auth-demo/trace';

export interface DrawnArrow {
  id: string;
  /** The arrow's classes: `front` or `back`, `refused`, `attack`. */
  classes: string[];
  /** Its accessible name: from → to, the label, the channel (HTML-escaped as in the page). */
  label: string;
}

export function arrowsOf(page: string): DrawnArrow[] {
  return [...page.matchAll(/<g class="(arrow[^"]*)" id="(a\d+)" data-arrow="a\d+"[^>]*aria-label="([^"]*)"/g)].map(([, classes, id, label]) => ({
    id: id!, classes: classes!.split(' '), label: label!,
  }));
}

/** The details panel of arrow `id` (hidden until the arrow is selected). */
export function panelOf(page: string, id: string): string {
  const panel = new RegExp(`<article class="detail[^"]*" id="d-${id}" hidden>[\\s\\S]*?</article>`).exec(page)?.[0];
  if (!panel) throw new Error(`no panel for arrow ${id}`);
  return panel;
}

/** The headings of the page's sections, as markup (escaped). */
export function stepTitlesOf(page: string): string[] {
  return [...page.matchAll(/<section class="step"[^>]*><h2[^>]*>([^<]*)<\/h2>/g)].map(([, title]) => title!);
}

const MERMAID_ENTITIES: Record<string, string> = { '#35;': '#', '#59;': ';', '#lt;': '<', '#gt;': '>' };

/**
 * Every arrow, as `FROM->>TO: label`, of the page's model (picture-model.ts) and of `--diagram`
 * (trace-diagram.ts), both drawn from `events`: who talks to whom, in which order, saying what.
 */
export function arrowsOfBoth(events: readonly TraceEvent[]): { picture: string[]; diagram: string[] } {
  const picture = buildPicture(events).sections.flatMap((s) =>
    s.items.flatMap((i) => (i.type === 'arrow' ? [`${i.from}->>${i.to}: ${terminalSafe(i.label)}`] : [])));
  const diagram = formatMermaid(events).split('\n').flatMap((line) => {
    const m = /^\s+(\w+)->>(\w+): (.*)$/.exec(line);
    return m ? [`${m[1]}->>${m[2]}: ${m[3]!.replace(/#35;|#59;|#lt;|#gt;/g, (e) => MERMAID_ENTITIES[e]!)}`] : [];
  });
  return { picture, diagram };
}
