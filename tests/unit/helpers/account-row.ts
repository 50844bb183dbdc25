import { accountKey, type AccountRow } from '@/lib/store/db';

export const HL_ADDR = '0x' + 'ab'.repeat(20);

/**
 * A stored account row for background tests: a Hyperliquid account (HL_ADDR) with a key, in enforce mode, on custom
 * endpoints nothing listens on (tests give it a fake adapter); `id` and `publicId` follow venue and accountId.
 */
export function accountRow(over: Partial<AccountRow> = {}): AccountRow {
  const venue = over.venue ?? 'hyperliquid';
  const accountId = over.accountId ?? (venue === 'hyperliquid' ? HL_ADDR : 'main');
  return {
    id: accountKey(venue, accountId),
    venue,
    accountId,
    label: 'Main',
    network: 'custom',
    restUrl: `http://127.0.0.1:1/${venue}`,
    wsUrl: `ws://127.0.0.1:1/${venue}/ws`,
    publicId: venue === 'hyperliquid' ? accountId : 'key',
    hasSecret: true,
    mode: 'enforce',
    deadManSwitchSec: null,
    createdAt: 0,
    ...over,
  };
}
