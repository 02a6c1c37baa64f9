/** Inline CSS: the report is one file that opens anywhere (no network) and prints on A4. */
export const REPORT_CSS = `*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2328;background:#fff}
main{max-width:1200px;margin:0 auto;padding:24px 32px 48px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:32px 0 8px;padding-bottom:4px;border-bottom:2px solid #d0d7de}
h3{font-size:14px;margin:20px 0 6px}
p{margin:6px 0;max-width:100ch}
nav.toc{margin:10px 0 0;color:#656d76}
nav.toc a{color:#0969da;margin-right:14px;text-decoration:none}
table{border-collapse:collapse;margin:8px 0}
table.wide{width:100%}
th,td{padding:4px 10px;border-bottom:1px solid #e1e4e8;text-align:left;vertical-align:top}
thead th{border-bottom:2px solid #d0d7de;font-weight:600;background:#f6f8fa}
caption{text-align:left;font-weight:600;padding-bottom:4px}
.num{text-align:right;font-variant-numeric:tabular-nums}
td.num,th.num{white-space:nowrap}
.feature-name{overflow-wrap:anywhere;min-width:14ch}
#importance .feature-name{width:42%}
.bar-cell{width:34%;vertical-align:middle}
.bar{height:12px;background:#f0ebfa;border-radius:2px}
.bar span{display:block;height:100%;background:#8250df;border-radius:2px}
.tiles{display:flex;flex-wrap:wrap;gap:12px;margin:10px 0}
.tile{border:1px solid #d0d7de;border-radius:6px;padding:10px 16px;min-width:170px}
.tile-value{font-size:22px;font-weight:600;font-variant-numeric:tabular-nums}
.tile-label{color:#656d76}
.pair{display:grid;grid-template-columns:minmax(260px,380px) minmax(0,1fr);gap:28px;align-items:start}
figure{margin:0}
.pair>table{justify-self:start}
figcaption{color:#656d76;font-size:0.88em}
svg{width:100%;height:auto;font-size:11px}
.warnings{border-left:4px solid #bf8700;background:#fff8c5;padding:8px 14px;margin:16px 0}
.warnings ul{margin:4px 0;padding-left:20px}
.chosen-row td{background:#f6f8fa}
.muted{color:#656d76;font-style:italic}
.bad{color:#cf222e}
.warn{color:#9a6700}
@media (max-width:820px){.pair{grid-template-columns:minmax(0,1fr)}main{padding:16px}th.num{white-space:normal}}
@page{size:A4;margin:14mm}
@media print{
body{font-size:11px}
main{max-width:none;padding:0}
nav.toc{display:none}
h2{break-after:avoid}
tr,figure,.tile,.warnings{break-inside:avoid}
.pair{grid-template-columns:240px minmax(0,1fr);gap:16px}
.bar-cell{width:22%}
th,td{padding:3px 6px}
th.num{white-space:normal}
.bar,.bar span,thead th,.warnings,.chosen-row td{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}`;
