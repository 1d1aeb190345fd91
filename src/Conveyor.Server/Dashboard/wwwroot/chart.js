// A small SVG line chart: one polyline per series over a shared time axis, drawn with DOM calls (no library,
// no inline style, so the page's CSP holds).

import { h } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';
const W = 600, H = 180, PAD_L = 44, PAD_B = 18, PAD_T = 8, PAD_R = 8;

function svg(tag, attrs) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

function niceMax(v) {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/**
 * series: [{ name, cls, values: [[t, y], ...] }]; returns a figure element. The window ends now, or at opts.end;
 * opts.span names its left end ("−5 min" by default).
 */
export function lineChart(id, title, unit, series, windowMs, opts = {}) {
  const now = opts.end ?? Date.now();
  const t0 = now - windowMs;
  const max = niceMax(Math.max(0, ...series.flatMap(s => s.values.filter(([t]) => t >= t0).map(([, y]) => y))));
  const x = t => PAD_L + ((t - t0) / windowMs) * (W - PAD_L - PAD_R);
  const y = v => H - PAD_B - (v / max) * (H - PAD_B - PAD_T);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': `${id}-title` });
  const titleEl = svg('title', { id: `${id}-title` });
  titleEl.textContent = title;
  root.append(titleEl);
  for (const frac of [0, 0.5, 1]) {
    root.append(svg('line', { class: 'axis', x1: PAD_L, x2: W - PAD_R, y1: y(max * frac), y2: y(max * frac) }));
    const label = svg('text', { x: PAD_L - 4, y: y(max * frac) + 4, 'text-anchor': 'end' });
    label.textContent = `${+(max * frac).toPrecision(3)}`;
    root.append(label);
  }
  const left = svg('text', { x: PAD_L, y: H - 4 });
  left.textContent = opts.span ?? `−${Math.round(windowMs / 60000)} min`;
  const right = svg('text', { x: W - PAD_R, y: H - 4, 'text-anchor': 'end' });
  right.textContent = 'now';
  root.append(left, right);
  const latest = [];
  for (const s of series) {
    const pts = s.values.filter(([t]) => t >= t0).map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    root.append(svg('polyline', { class: `s-${s.cls}`, points: pts, 'data-series': s.name }));
    const last = s.values.at(-1);
    latest.push(`${s.name} ${last ? +last[1].toFixed(2) : 0} ${unit}`);
  }
  return h('figure', { class: 'chart', id },
    h('figcaption', {}, h('strong', {}, title)),
    root,
    h('ul', { class: 'legend' }, series.map(s => h('li', {}, h('span', { class: `sw b-${s.cls}`, 'aria-hidden': 'true' }), s.name))),
    h('p', { class: 'visually-hidden', 'data-latest': latest.join('; ') }, `Latest: ${latest.join('; ')}`));
}
