/** Stable string keys for scopes: used as record keys in the persisted state and as action-id prefixes. */
import type { PositionSide, Venue } from '../domain/types';
import type { GateScope, RiskScope } from './types';

/**
 * `${venue}:${accountId}`, as lib/domain/types accountKey (a test keeps them equal). Defined here so the content
 * scripts, which run validate() on this module, do not pull the domain's zod schemas into their bundle.
 */
export const accountKey = (venue: Venue, accountId: string) => `${venue}:${accountId}`;
export const symbolKey = (venue: Venue, accountId: string, symbol: string) => `${venue}:${accountId}:${symbol}`;
export const positionKey = (venue: Venue, accountId: string, symbol: string, side: PositionSide) =>
  `${venue}:${accountId}:${symbol}:${side}`;
export const strategyKey = (strategyId: string) => `strategy:${strategyId}`;

export function scopeKey(scope: RiskScope): string {
  switch (scope.kind) {
    case 'account':
      return accountKey(scope.venue, scope.accountId);
    case 'symbol':
      return symbolKey(scope.venue, scope.accountId, scope.symbol);
    case 'position':
      return positionKey(scope.venue, scope.accountId, scope.symbol, scope.side);
    case 'strategy':
      return strategyKey(scope.strategyId);
  }
}

/** The scope whose trading state and breaker a finding acts on: a position is gated through its symbol. */
export function gateScopeOf(scope: RiskScope): GateScope {
  if (scope.kind !== 'position') return scope;
  return { kind: 'symbol', venue: scope.venue, accountId: scope.accountId, symbol: scope.symbol };
}

/**
 * The base asset of a symbol, for correlation groups: BTCUSDT -> BTC, BTC -> BTC, ETH-USDC -> ETH, xyz:BTC -> BTC.
 * Venue quote suffixes are stripped; anything else is returned upper-cased.
 */
export function baseAsset(symbol: string): string {
  let b = baseMemo.get(symbol);
  if (b === undefined) {
    if (baseMemo.size > 4096) baseMemo.clear();
    baseMemo.set(symbol, (b = computeBase(symbol)));
  }
  return b;
}
// Called for every position on every evaluation; symbols repeat, so the string work is memoised.
const baseMemo = new Map<string, string>();

function computeBase(symbol: string): string {
  let s = symbol.toUpperCase();
  const colon = s.lastIndexOf(':');
  if (colon >= 0) s = s.slice(colon + 1);
  const dash = s.indexOf('-');
  if (dash > 0) s = s.slice(0, dash);
  for (const q of QUOTES) if (s.length > q.length && s.endsWith(q)) return s.slice(0, -q.length);
  return s;
}
const QUOTES = ['USDT', 'USDC', 'BUSD', 'FDUSD', 'USD'];
