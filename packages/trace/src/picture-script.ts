/**
 * The page's only script (inline; the page's Content-Security-Policy admits it by its hash and
 * nothing else). It shows the panel of the selected arrow, and moves through the run by keyboard:
 * ←/→ the previous or next arrow, j/k (or n/p) the next or previous step. It reads no wire text.
 */
export const PICTURE_SCRIPT = `(() => {
  const arrows = Array.from(document.querySelectorAll('.arrow'));
  const steps = Array.from(document.querySelectorAll('section.step'));
  const empty = document.getElementById('empty');
  let current = null;
  function select(el, focus) {
    if (!el) return;
    if (current) { current.classList.remove('selected'); current.setAttribute('aria-pressed', 'false'); }
    for (const d of document.querySelectorAll('#details .detail')) d.hidden = true;
    current = el;
    el.classList.add('selected');
    el.setAttribute('aria-pressed', 'true');
    const panel = document.getElementById('d-' + el.id);
    if (panel) panel.hidden = false;
    if (empty) empty.hidden = true;
    if (focus) { el.focus(); el.scrollIntoView({ block: 'nearest' }); }
  }
  for (const a of arrows) {
    a.addEventListener('click', () => select(a, false));
    a.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select(a, false); }
    });
  }
  function stepOf(el) { return el ? steps.findIndex((s) => s.contains(el)) : -1; }
  function goStep(i) {
    const step = steps[Math.max(0, Math.min(steps.length - 1, i))];
    if (!step) return;
    const first = step.querySelector('.arrow');
    step.scrollIntoView({ block: 'start' });
    if (first) { select(first, false); first.focus({ preventScroll: true }); }
    else { const heading = step.querySelector('h2'); if (heading) heading.focus({ preventScroll: true }); }
  }
  document.addEventListener('keydown', (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const here = document.activeElement && document.activeElement.closest ? document.activeElement.closest('section.step') : null;
    const at = current ? arrows.indexOf(current) : -1;
    const step = here ? steps.indexOf(here) : stepOf(current);
    if (e.key === 'ArrowRight') { e.preventDefault(); select(arrows[Math.min(at + 1, arrows.length - 1)], true); }
    else if (e.key === 'ArrowLeft') { e.preventDefault(); select(arrows[Math.max(at - 1, 0)], true); }
    else if (e.key === 'j' || e.key === 'n') { goStep(step + 1); }
    else if (e.key === 'k' || e.key === 'p') { goStep(step - 1); }
  });
})();`;
