/** The executor's order of work: a protective close leaves before anything is written about it. */
import { describe, expect, it } from 'vitest';
import type { AuditFn } from '@/lib/background/audit-fn';
import { createExecutor } from '@/lib/background/supervisor/executor';
import type { ExchangeAdapter } from '@/lib/exchanges/types';
import { FakeAdapter } from '../helpers/fake-adapter';

const ACCOUNT = 'binance:main';

function rig() {
  const log: string[] = [];
  const adapter = new FakeAdapter({ accountId: 'main', credentials: { venue: 'binance', apiKey: 'k', apiSecret: 's' } } as never);
  adapter.positions = [adapter.position('BTCUSDT', 'long', 0.08, 60_000, 55_200)];
  const close = adapter.closePosition.bind(adapter);
  adapter.closePosition = (req) => {
    log.push(`send ${req.clientOrderId}`);
    return close(req);
  };
  const audit: AuditFn = async (kind) => {
    log.push(kind);
    return undefined;
  };
  const executor = createExecutor({
    audit,
    adapterOf: (account) => (account === ACCOUNT ? (adapter as ExchangeAdapter) : null),
    sizeOf: (_a, symbol, side) => adapter.positions.find((p) => p.symbol === symbol && p.side === side)?.size ?? 0,
    sleep: async () => undefined,
  });
  return { log, adapter, executor };
}

describe('executor', () => {
  it('sends the close before it writes the close to the audit log, then records the outcome', async () => {
    const { log, executor } = rig();
    await executor.close({ id: 'close|a', account: ACCOUNT, label: 'Main', symbol: 'BTCUSDT', side: 'long', fraction: 1, reason: null, origin: 'engine' });
    expect(log).toEqual([expect.stringMatching(/^send rf-[0-9a-f]{16}-1$/), 'action.close', 'action.done']);
  });

  it('a close that fails for good is announced before its failure is recorded', async () => {
    const { log, adapter, executor } = rig();
    adapter.closePosition = async () => {
      log.push('send');
      throw new Error('refused');
    };
    await executor.close({ id: 'close|b', account: ACCOUNT, label: 'Main', symbol: 'BTCUSDT', side: 'long', fraction: 1, reason: null, origin: 'engine' });
    expect(log).toEqual(['send', 'action.close', 'action.failed']);
  });
});
