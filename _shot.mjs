import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu'] });
for (const scheme of ['light', 'dark']) {
const p = await b.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: scheme });
p.on('console', m => console.log('console', m.type(), m.text()));
p.on('pageerror', e => console.log('pageerror', e.message));
await p.goto('file://' + process.argv[2]);
if (scheme==='light') { await p.click('#a1'); }
else { await p.keyboard.press('j'); await p.keyboard.press('j'); await p.keyboard.press('ArrowRight'); }
await p.screenshot({ path: `/tmp/pic/${scheme}.png` });
}
await b.close();
