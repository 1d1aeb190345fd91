// Small DOM helpers. Every value from the server goes in as text (textContent / attributes), never as HTML.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

export function fmtNumber(n) {
  return Number(n ?? 0).toLocaleString('en-US');
}

// A count the store stopped at (count_cap, docs/postgres.md "Counts without scanning") reads "10,000+".
export function fmtCount(n, cap) {
  return cap != null && n >= cap ? `${fmtNumber(cap)}+` : fmtNumber(n);
}

export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function fmtAge(iso, now = Date.now()) {
  if (!iso) return '—';
  let s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60); s %= 60;
  if (m < 60) return `${m}m ${s}s`;
  const hours = Math.floor(m / 60);
  return hours < 48 ? `${hours}h ${m % 60}m` : `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

export function stateBadge(state) {
  return h('span', { class: `state state-${state}` }, state);
}

export function table(caption, headers, rows) {
  return h('div', { class: 'table-wrap' },
    h('table', {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, headers.map(([label, cls]) => h('th', { scope: 'col', class: cls }, label)))),
      h('tbody', {}, rows)));
}
