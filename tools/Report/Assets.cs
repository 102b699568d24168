using System;
using System.Security.Cryptography;
using System.Text;

namespace CrmPlugins.Report;

/// <summary>The page's inline style and script. The script only adds sorting and filtering: the page reads fully without it.</summary>
internal static class Assets
{
    public const string Css = """
:root{--ink:#1f2937;--muted:#4b5563;--line:#d1d5db;--bg:#ffffff;--band:#f3f4f6;--accent:#1d4ed8}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--ink);background:var(--bg)}
header{padding:16px 24px;border-bottom:1px solid var(--line);background:var(--band)}
h1{margin:0 0 4px;font-size:22px}
h2{margin:28px 0 8px;font-size:18px;border-bottom:2px solid var(--line);padding-bottom:4px}
h3{margin:16px 0 6px;font-size:15px}
.meta{margin:0;color:var(--muted)}
nav ul{list-style:none;margin:8px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:4px 14px}
nav a{color:var(--accent)}
main{padding:0 24px 32px;max-width:1400px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0 12px}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 12px;min-width:150px}
.card .num{display:block;font-size:22px;font-weight:600}
.card .what{color:var(--muted)}
.charts{display:flex;flex-wrap:wrap;gap:16px}
figure{margin:0}
figcaption{font-weight:600;margin:4px 0}
svg.chart{max-width:100%;height:auto;font:12px system-ui,Arial,sans-serif}
svg .lab{fill:#374151}
svg .val{fill:#111827}
svg .over-text{fill:#9f1239;font-weight:700}
svg .axis{stroke:#9ca3af}
.f-critical{fill:#7a0019}.f-high{fill:#ea580c}.f-medium{fill:#eab308}.f-low{fill:#16a34a}.f-unknown,.f-other{fill:#9ca3af}
.f-bar{fill:#2563eb}.f-loss{fill:#b91c1c}.f-cap{fill:#cbd5e1}.f-demand{fill:#2563eb}.f-over{fill:#be123c}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;margin:6px 0 12px;min-width:40%}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--band)}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tbody tr:nth-child(even){background:#fafafa}
th.sort{cursor:pointer}
th[aria-sort=ascending]::after{content:" \25B2"}
th[aria-sort=descending]::after{content:" \25BC"}
.lvl{display:inline-block;padding:0 6px;border-radius:4px;font-weight:600;white-space:nowrap}
.lvl-critical{background:#7a0019;color:#fff}
.lvl-high{background:#c2410c;color:#fff}
.lvl-medium{background:#fde68a;color:#713f12}
.lvl-low{background:#bbf7d0;color:#14532d}
.lvl-unknown,.lvl-other{background:#e5e7eb;color:#374151}
.over{background:#ffe4e6}
.flag-over{color:#9f1239;font-weight:700}
.none{color:var(--muted);font-style:italic}
.reasons{margin:0;padding-left:18px}
.fixes-label{margin:6px 0 0;font-weight:600}
.fixes{margin:0;padding-left:18px}
.filters{margin:6px 0}
.filters input,.filters select{font:inherit;padding:2px 6px;margin-right:8px}
@media print{nav,.filters{display:none}h2{break-after:avoid}tr{break-inside:avoid}}
@media (max-width:600px){
header{padding:12px}
main{padding:0 12px 24px}
figure{max-width:100%;min-width:0;overflow-x:auto}
svg.chart{max-width:none}
table.flagged thead{display:none}
table.flagged,table.flagged tbody{display:block;min-width:0;margin:0}
table.flagged tr{display:flex;flex-wrap:wrap;align-items:baseline;gap:2px 12px;border:1px solid var(--line);border-radius:6px;padding:6px 10px;margin:0 0 10px}
table.flagged td{display:block;border:0;padding:0;text-align:left}
table.flagged td.deal{flex:1 1 auto;font-weight:600}
table.flagged td[data-label]::before{content:attr(data-label) " ";color:var(--muted)}
table.flagged td.why{flex:1 1 100%;font-size:15px}
}
""";

    public const string Script = """
(function () {
  function key(cell) {
    var n = cell.getAttribute('data-num');
    if (n !== null) return n === '' ? null : parseFloat(n);
    return cell.textContent.trim().toLowerCase();
  }
  function compare(a, b) {
    if (a === b) return 0;
    if (a === null) return 1;
    if (b === null) return -1;
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    return String(a).localeCompare(String(b));
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    if (!table.tHead || !table.tBodies.length) return;
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, i) {
      th.classList.add('sort');
      th.tabIndex = 0;
      function sort() {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (x, y) {
          var c = compare(key(x.cells[i]), key(y.cells[i]));
          return ascending ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); } });
    });
  });
  document.querySelectorAll('table[data-filter]').forEach(function (table) {
    if (!table.tBodies.length) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var bar = document.createElement('div');
    bar.className = 'filters';
    var text = document.createElement('input');
    text.type = 'search';
    text.placeholder = 'Filter rows';
    text.setAttribute('aria-label', 'Filter rows of this table');
    bar.appendChild(text);
    var levels = [];
    rows.forEach(function (r) { var l = r.getAttribute('data-level'); if (l && levels.indexOf(l) < 0) levels.push(l); });
    var select = null;
    if (levels.length) {
      select = document.createElement('select');
      select.setAttribute('aria-label', 'Show only deals of this overall level');
      [''].concat(levels).forEach(function (l) {
        var o = document.createElement('option');
        o.value = l;
        o.textContent = l === '' ? 'All levels' : l;
        select.appendChild(o);
      });
      bar.appendChild(select);
    }
    function apply() {
      var q = text.value.trim().toLowerCase();
      var level = select ? select.value : '';
      rows.forEach(function (r) {
        r.hidden = (q !== '' && r.textContent.toLowerCase().indexOf(q) < 0) || (level !== '' && r.getAttribute('data-level') !== level);
      });
    }
    text.addEventListener('input', apply);
    if (select) select.addEventListener('change', apply);
    var wrap = table.parentNode;
    wrap.parentNode.insertBefore(bar, wrap);
  });
})();
""";

    /// <summary>The script's CSP hash: the page allows this one inline script and nothing else.</summary>
    public static readonly string ScriptHash = "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Script)));
}
