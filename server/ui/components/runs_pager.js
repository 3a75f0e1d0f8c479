// Server-side paging by page tokens. The searches only ever hand out the token of the next page, so the tokens of
// the pages already visited are kept in memory: going back is one call, not a walk from the first page.
import { h } from '../lib/dom.js';

export const PAGE_SIZES = [25, 50, 100];

export class TokenPager {
  constructor() {
    this.reset();
  }

  // Back to the first page (a new filter, order or page size).
  reset() {
    this.tokens = [undefined];
    this.index = 0;
    this.nextToken = undefined;
  }

  get token() {
    return this.tokens[this.index];
  }

  get pageNumber() {
    return this.index + 1;
  }

  get hasPrevious() {
    return this.index > 0;
  }

  get hasNext() {
    return Boolean(this.nextToken);
  }

  // Records the next_page_token of the answer for the current page.
  received(nextPageToken) {
    this.nextToken = nextPageToken || undefined;
  }

  next() {
    if (!this.hasNext) return false;
    this.tokens.length = this.index + 1;
    this.tokens.push(this.nextToken);
    this.index += 1;
    this.nextToken = undefined;
    return true;
  }

  previous() {
    if (!this.hasPrevious) return false;
    this.index -= 1;
    return true;
  }
}

// Previous / Next buttons, the page number and the page size choice. `update(pager)` refreshes their state.
export function pagerControls({ what, pageSize, onPageSize, onPrevious, onNext }) {
  const previous = h('button', { type: 'button', onclick: onPrevious, 'data-pager': 'previous' }, '‹ Previous');
  const next = h('button', { type: 'button', onclick: onNext, 'data-pager': 'next' }, 'Next ›');
  const position = h('span', { class: 'muted', 'aria-live': 'polite', 'data-pager': 'position' });
  const size = h('select', { 'aria-label': `${what} per page`, onchange: () => onPageSize(Number(size.value)) },
    PAGE_SIZES.map((value) => h('option', { value, selected: value === pageSize }, String(value))));
  const element = h('nav', { class: 'pager', 'aria-label': `${what} pages` },
    previous, position, next, h('label', { class: 'muted' }, 'Per page', size));
  function update(pager, shown) {
    previous.disabled = !pager.hasPrevious;
    next.disabled = !pager.hasNext;
    position.textContent = `Page ${pager.pageNumber}${shown === undefined ? '' : ` · ${shown} shown`}`;
  }
  return { element, update };
}
