import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * An add form's lock while the background answers. The new row can show (a revision push) before the answer, and the
 * answer then clears the form: typing in between would be lost, or half of it submitted as the next entry. `busy`
 * disables the form's fieldset; `run` holds it for one submit (a second submit meanwhile does nothing). Disabling
 * the fieldset drops the focus, which goes back to `first` once the form is usable again (not when it first shows).
 */
export function useSubmitLock() {
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  const wasBusy = useRef(false);
  useEffect(() => {
    if (wasBusy.current && !busy && document.activeElement === document.body) first.current?.focus();
    wasBusy.current = busy;
  }, [busy]);
  const run = async (work: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    try {
      await work();
    } finally {
      setBusy(false);
    }
  };
  return { busy, first, run };
}
