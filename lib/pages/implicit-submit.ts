import { isElement } from './dom';
import type { PageAdapter, SubmitClick } from './types';

/**
 * The submit an Enter key in the order form would trigger: the form's first submit button, as the browser picks
 * it for implicit submission, classified by the adapter. Null when Enter would not send an order.
 */
export function implicitSubmit(adapter: PageAdapter, target: EventTarget | null): SubmitClick | null {
  if (!isElement(target)) return null;
  const form = (target as HTMLInputElement).form ?? target.closest('form');
  const button = form?.querySelector('button[type=submit], input[type=submit], button:not([type])');
  const c = button ? adapter.classifyClick(button) : null;
  return c?.kind === 'submit' ? c : null;
}
