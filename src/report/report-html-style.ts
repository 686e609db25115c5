/** The stylesheet of report.html, inlined so the file opens offline. Light, print-friendly, system fonts only. */
export const REPORT_HTML_STYLE = `
:root {
  --ink: #1d232b; --muted: #5b6673; --line: #d8dde3; --paper: #ffffff; --panel: #f6f8fa;
  --pass: #1e7b34; --pass-bg: #e3f4e7; --fail: #b3261e; --fail-bg: #fde6e4; --unknown: #8a5a00; --unknown-bg: #fff3d1;
}
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: var(--paper);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 28px 60px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.25rem; margin: 40px 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.08rem; margin: 28px 0 8px; }
p { margin: 8px 0; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 0.88em; }
code { background: var(--panel); border: 1px solid var(--line); border-radius: 4px; padding: 1px 5px; }
a { color: #1f5fbf; }
.facts { color: var(--muted); font-size: 0.9rem; }
.banner { display: flex; align-items: center; gap: 14px; margin: 18px 0; padding: 14px 18px; border-radius: 8px;
  font-size: 1.15rem; font-weight: 600; border: 1px solid; }
.banner .mark { font-size: 0.8rem; letter-spacing: 0.06em; padding: 3px 9px; border-radius: 4px; color: #fff; }
.banner.pass { background: var(--pass-bg); border-color: var(--pass); } .banner.pass .mark { background: var(--pass); }
.banner.fail { background: var(--fail-bg); border-color: var(--fail); } .banner.fail .mark { background: var(--fail); }
.banner.unknown { background: var(--unknown-bg); border-color: var(--unknown); } .banner.unknown .mark { background: var(--unknown); }
.intro { max-width: 60rem; }
table { border-collapse: collapse; margin: 10px 0; }
th, td { border: 1px solid var(--line); padding: 7px 11px; text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.verdicts td.verdict { min-width: 13rem; }
table.measures tr.total th { border-bottom: 2px solid var(--line); }
.verdict .label { font-weight: 700; letter-spacing: 0.02em; }
.verdict .label a { color: inherit; }
.verdict .broke { display: block; font-size: 0.86rem; }
.verdict .expect { display: block; font-size: 0.82rem; color: var(--muted); }
.verdict .expect.unmet { color: var(--fail); font-weight: 600; }
td.pass { background: var(--pass-bg); } td.pass .label { color: var(--pass); }
td.fail { background: var(--fail-bg); } td.fail .label { color: var(--fail); }
td.unknown { background: var(--unknown-bg); } td.unknown .label { color: var(--unknown); }
.scenario-description { display: block; color: var(--muted); font-size: 0.84rem; font-weight: 400; max-width: 22rem; }
.legend { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 6px 24px; padding: 0; list-style: none; }
.legend li { padding: 4px 0; }
.legend b { display: block; }
.expectations { padding-left: 0; list-style: none; }
.expectations li::before { display: inline-block; width: 4.2rem; font-weight: 700; }
.expectations li.met::before { content: "met"; color: var(--pass); }
.expectations li.unmet::before { content: "UNMET"; color: var(--fail); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 18px; }
.chart { position: relative; height: 300px; border: 1px solid var(--line); border-radius: 8px; padding: 10px; }
.chart-fallback { color: var(--fail); }
.case { border: 1px solid var(--line); border-radius: 8px; padding: 4px 20px 20px; margin: 22px 0; }
.case.fail { border-left: 6px solid var(--fail); } .case.unknown { border-left: 6px solid var(--unknown); }
.witnesses li { margin: 3px 0; }
ol.commands { font-family: ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 0.86rem;
  background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 10px 10px 44px; }
.timeline { --tl-gutter: 3.6rem; margin: 8px 0 6px; border: 1px solid var(--line); border-radius: 6px; }
.tl-head, .tl-body { display: grid; }
.tl-head { background: var(--panel); border-bottom: 1px solid var(--line); border-radius: 6px 6px 0 0; }
.tl-col-head { padding: 5px 5px; font-weight: 600; font-size: 0.8rem; border-left: 1px solid var(--line); min-width: 0;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.tl-col-head.tl-faults { color: #a14a00; } .tl-col-head.tl-database { color: #34495e; }
.tl-gutter-head { border-left: none; color: var(--muted); font-weight: 400; }
.tl-body { position: relative; }
.tl-gutter, .tl-col { position: relative; z-index: 1; min-width: 0; }
.tl-col { border-left: 1px solid var(--line); }
.tl-tick { position: absolute; left: 0; right: 0; height: 0; border-top: 1px solid #e9edf1; z-index: 0; }
.tl-tick span { position: absolute; left: 0; top: 1px; width: calc(var(--tl-gutter) - 6px); text-align: right; white-space: nowrap;
  font-size: 0.7rem; color: var(--muted); font-variant-numeric: tabular-nums; }
.tl-band { position: absolute; left: var(--tl-gutter); right: 0; background: rgba(255, 140, 0, 0.12); z-index: 0;
  border-top: 1px dashed rgba(200, 100, 0, 0.55); border-bottom: 1px dashed rgba(200, 100, 0, 0.55); }
.tl-item { position: absolute; overflow: hidden; border: 1px solid; border-radius: 4px; padding: 1px 3px;
  font-size: 0.72rem; line-height: 1.2; display: flex; flex-direction: column; justify-content: space-between; cursor: default; }
.tl-point { justify-content: center; }
.tl-label, .tl-outcome { display: -webkit-box; -webkit-box-orient: vertical; overflow: hidden; overflow-wrap: break-word; }
.tl-flagged .tl-label { padding-right: 1.4rem; }
.tl-outcome { font-weight: 700; }
.tl-ok { background: #dff3e3; border-color: #2e7d32; } .tl-ok .tl-outcome { color: #1b5e20; }
.tl-fail { background: #fde0dd; border-color: #c62828; } .tl-fail .tl-outcome { color: #b71c1c; }
.tl-info { background: #fff1c9; border-color: #b26a00; } .tl-info .tl-outcome { color: #8a5a00; }
.tl-broadcast { background: #e3edff; border-color: #2f64c0; }
.tl-catchup { background: #eee5ff; border-color: #6a3fb5; }
.tl-open { background: #eef1f4; border-color: #7b8794; }
.tl-closed { background: #4a5561; border-color: #333c46; color: #fff; }
.tl-fault { background: #ffe0bd; border-color: #d9600c; justify-content: flex-start; }
.tl-view { background: #dcf3f1; border-color: #138577; }
.tl-snapshot { background: #e5e9ee; border-color: #34495e; }
.tl-mixed { background: #f0f2f5; border-color: #5b6673; }
.tl-bundle { justify-content: flex-start; gap: 2px; border-style: dashed; background-image: repeating-linear-gradient(135deg, rgba(0, 0, 0, 0.07) 0 4px, transparent 4px 8px); }
.tl-flagged { outline: 2px dashed var(--fail); outline-offset: 1px; z-index: 2; }
.tl-flag { position: absolute; top: 1px; right: 2px; background: var(--fail); color: #fff; font-weight: 700;
  font-size: 0.66rem; padding: 0 4px; border-radius: 3px; }
.tl-legend { display: flex; flex-wrap: wrap; gap: 4px 18px; list-style: none; padding: 0; font-size: 0.8rem; color: var(--muted); }
.tl-chip { display: inline-block; width: 14px; height: 11px; border: 1px solid; border-radius: 3px; margin-right: 6px; vertical-align: -1px; }
.tl-band-chip { background: rgba(255, 140, 0, 0.12); border: 1px dashed rgba(200, 100, 0, 0.55); }
.tl-omitted { color: var(--muted); font-size: 0.85rem; }
.tl-scenario { border: 1px solid var(--line); border-radius: 8px; margin: 10px 0; padding: 4px 12px; }
.tl-scenario > summary { cursor: pointer; padding: 4px 0; }
.tl-panels { display: grid; grid-auto-flow: column; grid-auto-columns: minmax(min(28rem, 100%), 1fr); gap: 16px;
  overflow-x: auto; padding-bottom: 8px; }
.tl-panel { min-width: 0; }
.tl-panel-head { margin: 10px 0 2px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.tl-panel .facts { margin: 2px 0; overflow-wrap: anywhere; }
.tl-verdict { font-size: 0.85rem; } .tl-verdict.pass { color: var(--pass); } .tl-verdict.fail { color: var(--fail); }
.tl-verdict.unknown { color: var(--unknown); }
.tl-none, .al-empty { color: var(--muted); font-style: italic; font-size: 0.88rem; }
.ack-chart { margin: 6px 0; }
.ack-chart svg { display: block; width: 100%; max-width: 640px; height: auto; }
.ack-chart figcaption { font-size: 0.8rem; color: var(--muted); }
.al-band { fill: rgba(255, 140, 0, 0.16); }
.al-grid { stroke: #e9edf1; } .al-axis { stroke: #8a96a3; }
.al-tick, .al-title { font-size: 10px; fill: #5b6673; } .al-title { font-weight: 600; }
.al-ok { fill: #2e7d32; fill-opacity: 0.75; }
.al-fail { stroke: #c62828; stroke-width: 2; fill: none; } .al-info { stroke: #b26a00; stroke-width: 2; fill: none; }
.dp-legend { display: flex; flex-wrap: wrap; gap: 4px 18px; list-style: none; padding: 0; font-size: 0.85rem; }
.dp-chip { display: inline-block; width: 14px; height: 11px; margin-right: 6px; vertical-align: -1px; border-radius: 2px; }
.dp-scenario h4 { margin: 14px 0 4px; }
.dp-row { display: grid; grid-template-columns: minmax(9rem, 14rem) minmax(12rem, 1fr) minmax(12rem, 1.2fr); gap: 10px; align-items: center; margin: 3px 0; }
.dp-target { font-size: 0.88rem; overflow-wrap: anywhere; }
.dp-bar { display: flex; height: 16px; border: 1px solid var(--line); border-radius: 3px; overflow: hidden; background: var(--paper); }
.dp-seg { display: block; height: 100%; min-width: 2px; }
.dp-words { font-size: 0.84rem; }
.dp-none { grid-column: 2 / span 2; color: var(--muted); font-size: 0.86rem; font-style: italic; }
.dp-broadcast { background: #2e7d32; } .dp-gapFill { background: #7cb342; } .dp-reconnect { background: #fbc02d; }
.dp-final { background: #ef6c00; } .dp-never { background: #b3261e; }
footer { margin-top: 48px; color: var(--muted); font-size: 0.82rem; }
@media print { .tl-panels { overflow: visible; grid-auto-flow: row; } }
`;
