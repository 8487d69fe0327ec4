/**
 * The search page's two files: its style sheet and the small script that fills in the
 * visitor's position for "Use my location" (the page works without it: a ZIP code does too).
 * Served as files of their own, so the page's Content Security Policy allows no inline code.
 */

export const STYLE = `
:root { --ink: #1d2733; --muted: #5b6b7c; --line: #d8e0e8; --brand: #0b5c7a; --accent: #e8f3f8; --warn: #8a4b00; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f8fa; }
a { color: var(--brand); }
.top { background: var(--brand); color: #fff; padding: 12px 24px; display: flex; gap: 16px; align-items: baseline; }
.top .brand { color: #fff; font-weight: 700; font-size: 20px; text-decoration: none; }
.top .tagline { opacity: 0.85; }
main { max-width: 1120px; margin: 0 auto; padding: 16px 24px 40px; }
form.search { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 16px; display: grid; grid-template-columns: 2fr 1fr auto auto auto; gap: 8px 12px; align-items: end; }
form.search label { display: block; font-size: 13px; color: var(--muted); margin-bottom: 2px; }
form.search input, form.search select { width: 100%; font: inherit; padding: 8px 10px; border: 1px solid #b9c6d2; border-radius: 6px; }
form.search button { font: inherit; padding: 8px 16px; border-radius: 6px; border: 1px solid var(--brand); background: var(--brand); color: #fff; cursor: pointer; }
form.search button.secondary { background: #fff; color: var(--brand); }
.summary { color: var(--muted); margin: 16px 0 8px; }
.notice { background: #fff6e5; border: 1px solid #f0d49b; color: var(--warn); padding: 8px 12px; border-radius: 6px; }
.layout { display: grid; grid-template-columns: 260px 1fr; gap: 24px; align-items: start; }
.facets { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; font-size: 14px; }
.facets h2 { font-size: 14px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); margin: 0 0 8px; }
.facets ul { list-style: none; padding: 0; margin: 0; }
.facets li { margin: 4px 0; display: flex; justify-content: space-between; gap: 8px; }
.facets li.on a { font-weight: 700; }
.facets .count { color: var(--muted); }
ol.results { list-style: none; padding: 0; margin: 0; display: grid; gap: 12px; }
.result { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
.result h3 { margin: 0 0 2px; font-size: 18px; }
.org { margin: 0 0 6px; color: var(--muted); }
.desc { margin: 6px 0; white-space: pre-line; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 8px 0; font-size: 15px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.meta { font-size: 13px; color: var(--muted); margin: 8px 0 0; }
.badge { display: inline-block; font-size: 12px; padding: 1px 8px; border-radius: 10px; background: var(--accent); color: var(--brand); margin-left: 6px; vertical-align: middle; }
.badge.off { background: #fde8e8; color: #9b1c1c; }
nav.pages { display: flex; gap: 16px; align-items: center; justify-content: center; margin: 20px 0; }
.detail { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 20px 24px; }
.detail h1 { margin: 0 0 4px; }
.detail h2 { font-size: 16px; margin: 20px 0 6px; }
.terms { display: flex; flex-wrap: wrap; gap: 6px; padding: 0; list-style: none; }
.terms li { background: var(--accent); border-radius: 12px; padding: 2px 10px; font-size: 14px; }
footer { color: var(--muted); font-size: 13px; text-align: center; padding: 16px; }
@media (max-width: 800px) { form.search { grid-template-columns: 1fr; } .layout { grid-template-columns: 1fr; } }
`;

export const NEAR_SCRIPT = `
(function () {
  var button = document.getElementById('locate');
  var near = document.getElementById('near');
  if (!button || !near || !navigator.geolocation) return;
  button.hidden = false;
  button.addEventListener('click', function () {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        near.value = position.coords.latitude.toFixed(5) + ',' + position.coords.longitude.toFixed(5);
        near.form.submit();
      },
      function () {
        button.disabled = false;
        button.textContent = 'Location unavailable: type a ZIP code';
      },
      { timeout: 10000 }
    );
  });
})();
`;
