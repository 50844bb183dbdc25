import type { ConnectionStatus } from '@/lib/ui/live-view';

const TEXT: Record<ConnectionStatus, string> = { connecting: 'Connecting…', live: 'Live', lost: 'Reconnecting…' };

export function ConnectionPill({ status }: { status: ConnectionStatus }) {
  return (
    <span class={`rf-pill rf-pill--${status}`} data-testid="rf-connection" data-status={status} role="status">
      <span class="rf-dot" aria-hidden="true" />
      {TEXT[status]}
    </span>
  );
}
