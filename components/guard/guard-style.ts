/**
 * The guard layer's stylesheet, as a string put into its own shadow root (not the content script's CSS file, which
 * WXT loads into the panel's root asynchronously: the verdict must paint in the click's frame). Colours follow each
 * site's dark theme (data-venue on the layer).
 */
export const GUARD_CSS = `
:host { all: initial; }
.rf-g {
  --bg: #181a20; --surface: #1e2329; --line: #2b3139; --text: #eaecef; --muted: #929aa5;
  --accent: #f0b90b; --warn: #f0b90b; --bad: #f6465d; --focus: #f0b90b; --on-accent: #181a20;
  position: fixed; inset: 0; pointer-events: none;
  font: 13px/1.45 -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
  color: var(--text); font-variant-numeric: tabular-nums;
}
.rf-g[data-venue='hyperliquid'] {
  --bg: #0f1a1f; --surface: #16262d; --line: #24383f; --text: #e3eeec; --muted: #94a9ad;
  --accent: #50d2c1; --warn: #e9b949; --bad: #ed7088; --focus: #50d2c1; --on-accent: #0f1a1f;
}
.rf-g *, .rf-g *::before, .rf-g *::after { box-sizing: border-box; }
.rf-g :focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.rf-backdrop {
  position: fixed; inset: 0; pointer-events: auto; background: rgba(0, 0, 0, 0.55);
  display: flex; align-items: flex-start; justify-content: center; padding: 12vh 16px 16px;
}
.rf-dialog {
  width: min(480px, 100%); max-height: 76vh; overflow: auto; background: var(--bg); border: 1px solid var(--line);
  border-top: 4px solid var(--warn); border-radius: 10px; box-shadow: 0 18px 48px rgba(0, 0, 0, 0.6); padding: 16px 18px;
}
.rf-dialog[data-decision='block'] { border-top-color: var(--bad); }
.rf-title { display: flex; align-items: center; gap: 10px; margin: 0 0 4px; font-size: 16px; font-weight: 650; }
.rf-badge {
  flex: none; font-size: 11px; font-weight: 700; letter-spacing: 0.04em; padding: 2px 7px; border-radius: 4px;
  background: var(--warn); color: var(--on-accent);
}
.rf-dialog[data-decision='block'] .rf-badge { background: var(--bad); color: #fff; }
.rf-order { margin: 0 0 12px; color: var(--muted); overflow-wrap: anywhere; }
.rf-order b { color: var(--text); font-weight: 600; }
.rf-reasons { list-style: none; margin: 0 0 12px; padding: 0; display: flex; flex-direction: column; gap: 6px; }
.rf-reason { display: flex; gap: 8px; align-items: baseline; background: var(--surface); border-radius: 6px; padding: 7px 10px; }
.rf-level { flex: none; width: 44px; font-size: 10px; font-weight: 700; letter-spacing: 0.05em; color: var(--warn); }
.rf-reason[data-level='block'] .rf-level { color: var(--bad); }
.rf-detail { display: block; color: var(--muted); margin-top: 2px; }
.rf-allowed, .rf-note, .rf-policy { margin: 0 0 12px; }
.rf-allowed { border-left: 3px solid var(--accent); padding: 2px 0 2px 10px; }
.rf-note, .rf-policy { color: var(--muted); }
.rf-phrase { display: flex; flex-direction: column; gap: 6px; margin: 0 0 12px; }
.rf-phrase input {
  font: inherit; color: var(--text); background: var(--surface); border: 1px solid var(--line); border-radius: 6px;
  padding: 7px 10px; letter-spacing: 0.06em;
}
.rf-actions { display: flex; justify-content: flex-end; gap: 8px; flex-wrap: wrap; }
.rf-btn {
  font: inherit; font-weight: 600; border-radius: 6px; padding: 7px 14px; cursor: pointer; border: 1px solid var(--line);
  background: var(--surface); color: var(--text);
}
.rf-btn-primary { background: var(--accent); border-color: var(--accent); color: var(--on-accent); }
.rf-btn-danger { background: transparent; border-color: var(--bad); color: var(--bad); }
.rf-btn:disabled { opacity: 0.5; cursor: not-allowed; }
.rf-hint {
  position: fixed; top: 12px; left: 50%; transform: translateX(-50%); pointer-events: auto; max-width: min(560px, 92vw);
  background: var(--bg); border: 1px solid var(--accent); border-radius: 8px; padding: 8px 14px;
  box-shadow: 0 8px 24px rgba(0, 0, 0, 0.5);
}
.rf-brand { color: var(--accent); font-weight: 700; margin-right: 6px; }
`;
