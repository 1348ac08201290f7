/**
 * The live page's only script (inline; the page's Content-Security-Policy admits it by its hash
 * and lets it connect to its own origin only). It listens to the page's event stream (`events`,
 * server-sent events): each `clients` message carries the HTML of the client blocks that
 * changed, rendered and escaped by the server (render.ts), and the order of the blocks to keep.
 * A block replaces its previous version in place; the arrow selected in it, and the focus, stay.
 * Selecting an arrow (click, Enter or Space) shows its panel beside the picture, as on the page
 * of a run (packages/trace picture-script.ts). It reads no wire text itself.
 */
export const LIVE_SCRIPT = `(() => {
  const root = document.getElementById('clients');
  const status = document.getElementById('status');
  const selected = {};
  function say(text, state) { status.textContent = text; status.className = 'live-status ' + state; }
  function select(arrow) {
    const block = arrow.closest('section.client');
    if (!block) return;
    for (const d of block.querySelectorAll('.detail')) d.hidden = true;
    for (const a of block.querySelectorAll('.arrow.selected')) { a.classList.remove('selected'); a.setAttribute('aria-pressed', 'false'); }
    arrow.classList.add('selected');
    arrow.setAttribute('aria-pressed', 'true');
    const panel = document.getElementById('d-' + arrow.id);
    if (panel) panel.hidden = false;
    const empty = block.querySelector('.details .empty');
    if (empty) empty.hidden = true;
    selected[block.id] = arrow.id;
  }
  const arrowOf = (target) => (target && target.closest ? target.closest('.arrow') : null);
  root.addEventListener('click', (e) => { const a = arrowOf(e.target); if (a) select(a); });
  root.addEventListener('keydown', (e) => {
    const a = arrowOf(e.target);
    if (a && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); select(a); }
  });
  function place(key, html) {
    const template = document.createElement('template');
    template.innerHTML = html;
    const block = template.content.firstElementChild;
    if (!block) return;
    const old = document.getElementById(key);
    const focused = old && document.activeElement && old.contains(document.activeElement) ? document.activeElement.id : '';
    if (old) old.replaceWith(block); else root.appendChild(block);
    const again = selected[key] && document.getElementById(selected[key]);
    if (again) select(again);
    const refocus = focused && document.getElementById(focused);
    if (refocus) refocus.focus({ preventScroll: true });
  }
  const source = new EventSource('events');
  source.addEventListener('open', () => say('live', 'live'));
  source.addEventListener('error', () => say('disconnected: pnpm serve stopped, or reconnecting…', 'lost'));
  source.addEventListener('clients', (e) => {
    const update = JSON.parse(e.data);
    for (const el of Array.from(root.children)) if (!update.order.includes(el.id)) el.remove();
    for (const key of update.order) if (update.blocks[key] !== undefined) place(key, update.blocks[key]);
    root.dataset.updates = String(Number(root.dataset.updates || 0) + 1);
  });
})();`;
