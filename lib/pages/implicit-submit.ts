import { isElement } from './dom';
import type { PageAdapter, SubmitClick } from './types';

/** Elements that Enter activates themselves: a focused button is pressed, the form's default button is not. */
const PRESSABLE = 'button, [role=button], input[type=submit], input[type=button], input[type=image]';

/**
 * The submit an Enter key would trigger, classified by the adapter; null when Enter would not send an order. On a
 * button (or inside one) Enter presses that button, so that button is classified: Enter on a focused Sell/Short is a
 * Sell/Short, and on a close button or a side toggle it sends no order from the form. Elsewhere in the order form it
 * is the form's first submit button, as the browser picks it for implicit submission.
 */
export function implicitSubmit(adapter: PageAdapter, target: EventTarget | null): SubmitClick | null {
  if (!isElement(target)) return null;
  const pressed = target.closest(PRESSABLE);
  const form = pressed ? null : ((target as HTMLInputElement).form ?? target.closest('form'));
  const button = pressed ?? form?.querySelector('button[type=submit], input[type=submit], button:not([type])');
  const c = button ? adapter.classifyClick(button) : null;
  return c?.kind === 'submit' ? c : null;
}
