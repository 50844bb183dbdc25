import type { LimitMeter } from '@/lib/ui/risk-format';
import './risk.css';

/**
 * One limit as a bar: the share of the limit used, with a mark where the warning starts. role="meter" with the
 * value in words, so a screen reader says "Daily loss: 0.5% of 2% limit, warning at 1%".
 */
export function Meter({ label, meter, testId, hint }: { label: string; meter: LimitMeter & { level?: string }; testId: string; hint?: string }) {
  const valuetext =
    meter.value === null
      ? `${label}: unknown`
      : `${label}: ${meter.text}${meter.level ? ` (${meter.level})` : ' limit'}, warning at ${Math.round(meter.warnAt * 100)}% of the limit`;
  return (
    <div class={`rf-meter rf-tone--${meter.tone}`} data-testid={testId} data-tone={meter.tone}>
      <div class="rf-meter-head">
        <span class="rf-meter-label">{label}</span>
        <span class="rf-meter-value" data-testid={`${testId}-text`}>
          {meter.text}
          {meter.level ? <span class="rf-muted"> {meter.level}</span> : null}
        </span>
      </div>
      <div
        class="rf-bar"
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(meter.fill * 100)}
        aria-valuetext={valuetext}
        title={hint ?? valuetext}
      >
        <span class="rf-bar-fill" style={{ width: `${(meter.fill * 100).toFixed(1)}%` }} />
        {meter.warnAt > 0 && meter.warnAt < 1 ? <span class="rf-bar-mark" style={{ left: `${(meter.warnAt * 100).toFixed(1)}%` }} aria-hidden="true" /> : null}
      </div>
    </div>
  );
}
