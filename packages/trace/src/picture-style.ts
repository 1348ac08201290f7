/**
 * The page's style (inline, no web font): light by default, dark under
 * `prefers-color-scheme: dark`; laid out for 1280 px (the diagram beside a sticky details panel)
 * and stacked below 1000 px.
 */
export const PICTURE_CSS = `
:root{--bg:#fff;--fg:#1b1f24;--muted:#5b636e;--line:#c5ccd6;--panel:#f5f7fa;--accent:#1f5fbf;--front:#7a3db8;
--refused:#c62828;--refused-bg:#fdecea;--attack:#b35c00;--attack-bg:#fff3e0;--held:#2e7d32;--held-bg:#e8f5e9;--note-bg:#eef2f7}
@media (prefers-color-scheme:dark){:root{--bg:#111418;--fg:#e6e9ee;--muted:#9aa4b1;--line:#3a424d;--panel:#1a1f26;
--accent:#7fb0ff;--front:#c59af0;--refused:#ff6b6b;--refused-bg:#3a1717;--attack:#ffb04d;--attack-bg:#3a2a12;
--held:#7bd88f;--held-bg:#14301b;--note-bg:#1f2630}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header.top,section.cast,nav.steps,.legend{padding:0 24px}
h1{font-size:22px;margin:16px 0 4px}h2{font-size:17px;margin:18px 0 4px}h3{font-size:15px;margin:0 0 8px;word-break:break-all}
h4{font-size:13px;margin:12px 0 4px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.outcome{display:inline-block;padding:2px 10px;border-radius:10px;font-weight:600}
.outcome.ok{background:var(--held-bg);color:var(--held)}.outcome.failed{background:var(--refused-bg);color:var(--refused)}
.cast ul{margin:4px 0;padding-left:20px}.cast b{display:inline-block;min-width:160px}
nav.steps ol{display:flex;flex-wrap:wrap;gap:6px;list-style:none;padding:0;margin:8px 0}
nav.steps a{display:block;padding:2px 8px;border:1px solid var(--line);border-radius:6px;color:var(--accent);text-decoration:none;font-size:13px}
.legend{font-size:13px;color:var(--muted)}.legend span{margin-right:16px}
.legend .front{color:var(--front)}.legend .refused{color:var(--refused)}.legend .attack{color:var(--attack)}
main{display:grid;grid-template-columns:minmax(0,1fr) 400px;gap:16px;padding:0 16px 40px}
@media (max-width:1000px){main{grid-template-columns:1fr}}
.lanes-bar{position:sticky;top:0;z-index:2;background:var(--bg);border-bottom:1px solid var(--line)}
svg{display:block;width:100%;height:auto;max-width:100%}
svg text{font:12px system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;fill:var(--fg)}
.lane-name rect{fill:var(--panel);stroke:var(--line)}.lane-name text{font-weight:600}
.lane-X rect{fill:var(--attack-bg);stroke:var(--attack)}
section.step{border-top:1px solid var(--line);padding:4px 0 8px;scroll-margin-top:44px}
section.step h2{margin:8px 8px 2px}section.step h2:focus{outline:2px solid var(--accent);outline-offset:2px}
section.step .why{margin:0 8px 6px;color:var(--muted);font-size:14px}
.lifeline{stroke:var(--line);stroke-dasharray:2 4}
.arrow{cursor:pointer;outline:none}.arrow .hit{fill:transparent;stroke:none}
.arrow line{stroke:var(--fg);stroke-width:1.6}.arrow polygon{fill:var(--fg)}
.arrow.front line{stroke:var(--front);stroke-dasharray:7 5}.arrow.front polygon{fill:var(--front)}.arrow.front text{fill:var(--front)}
.arrow.refused line{stroke:var(--refused);stroke-width:2.4}.arrow.refused polygon{fill:var(--refused)}
.arrow.refused text{fill:var(--refused);font-weight:700}
.arrow.attack text{fill:var(--attack)}.arrow.attack .hit{fill:var(--attack-bg)}
.arrow:hover .hit{fill:var(--note-bg)}.arrow:focus-visible .hit,.arrow.selected .hit{fill:var(--note-bg);stroke:var(--accent);stroke-width:2}
.note rect{fill:var(--note-bg);stroke:var(--line)}
.note.attempt rect{fill:var(--attack-bg);stroke:var(--attack)}.note.attempt text{fill:var(--attack)}
.note.refused rect{fill:var(--refused-bg);stroke:var(--refused);stroke-width:2}.note.refused text{fill:var(--refused);font-weight:700}
.note .no-entry circle{fill:var(--refused);stroke:none}.note .no-entry rect{fill:#fff;stroke:none}
i.no-entry{display:inline-block;position:relative;width:12px;height:12px;border-radius:50%;background:var(--refused);vertical-align:-1px}
i.no-entry::after{content:"";position:absolute;left:2px;right:2px;top:5px;height:2px;background:#fff}
.note.held rect{fill:var(--held-bg);stroke:var(--held)}.note.not-held rect{fill:var(--refused-bg);stroke:var(--refused);stroke-width:3}
.note.not-held text{fill:var(--refused);font-weight:700}
aside#details{position:sticky;top:8px;align-self:start;max-height:calc(100vh - 16px);overflow:auto;background:var(--panel);
border:1px solid var(--line);border-radius:8px;padding:12px 14px;font-size:13px}
.detail.refused h3{color:var(--refused)}
dl{display:grid;grid-template-columns:90px 1fr;gap:2px 8px;margin:0}dt{color:var(--muted)}dd{margin:0;word-break:break-all}
table{border-collapse:collapse;width:100%;margin:2px 0}th,td{text-align:left;vertical-align:top;padding:2px 4px;border-bottom:1px solid var(--line);word-break:break-all}
th{color:var(--muted);font-weight:600;width:35%}caption{text-align:left;font-weight:600;padding:4px 0}
pre{white-space:pre-wrap;word-break:break-all;background:var(--bg);padding:6px;border-radius:4px;margin:0}
ul.decisions{padding-left:18px;margin:0}li.decision{margin:4px 0}li.decision.refused{color:var(--refused)}
.who{font-weight:600}.spec{color:var(--accent)}.quiet,.keys{color:var(--muted)}
code{font-size:12px}kbd{border:1px solid var(--line);border-radius:3px;padding:0 4px;font-size:12px}
`;
