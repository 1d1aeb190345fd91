// Bulk actions: the checked rows (ids) or everything matching the filter, run on the server as an operation
// whose progress the page polls until it is done; onDone gets the finished progress box to show on.

import { api } from './api.js';
import { h, fmtNumber, replace } from './dom.js';

export async function runBulk(ctx, container, body, onDone) {
  const { id } = await api('/v1/jobs/bulk', { method: 'POST', body });
  const bar = h('progress', { 'aria-label': `${body.action} progress` });
  const text = h('p', { 'data-operation': id }, `${body.action}: starting…`);
  replace(container, h('div', { class: 'progress', role: 'status' }, text, bar));
  for (;;) {
    const op = await api(`/v1/operations/${encodeURIComponent(id)}`);
    replace(text, `${op.action}: ${op.status} — matched ${fmtNumber(op.matched)}, applied ${fmtNumber(op.applied)}, skipped ${fmtNumber(op.skipped)}`);
    text.dataset.status = op.status;
    if (op.status !== 'running') {
      bar.max = 1; bar.value = 1;
      if (op.error) replace(text, `${op.action} failed after ${fmtNumber(op.applied)} jobs: ${op.error}`);
      ctx.status(op.error ? `${op.action} failed` : `${op.action}: ${fmtNumber(op.applied)} jobs done`, !!op.error);
      await onDone(container.firstChild);
      return op;
    }
    await new Promise(resolve => setTimeout(resolve, 400));
  }
}
