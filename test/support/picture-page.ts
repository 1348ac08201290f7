/**
 * Reading a page of `pnpm demo --html` (packages/trace/src/picture-page.ts) back in a test
 * without a browser: its arrows, the panel of one, the titles of its sections. The markup is
 * the renderer's own, so plain patterns over it are enough; the browser test reads the DOM.
 */

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
