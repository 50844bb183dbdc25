/** Symbol rules and leverage brackets of the simulated Binance USD-M market, derived from each symbol's start price. */

export interface Bracket {
  bracket: number;
  initialLeverage: number;
  notionalFloor: number;
  notionalCap: number;
  maintMarginRatio: number;
  /** Maintenance amount: keeps the maintenance margin continuous across brackets. */
  cum: number;
}

export interface SymbolInfo {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  pricePrecision: number;
  quantityPrecision: number;
  tickSize: number;
  stepSize: number;
  minQty: number;
  minNotional: number;
  brackets: Bracket[];
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

const BRACKET_TABLE: [number, number, number][] = [
  // [notionalCap, maintMarginRatio, initialLeverage]
  [50_000, 0.004, 125],
  [250_000, 0.005, 100],
  [3_000_000, 0.01, 50],
  [20_000_000, 0.025, 20],
  [1_000_000_000, 0.05, 10],
];

export function makeBrackets(): Bracket[] {
  const out: Bracket[] = [];
  let floor = 0;
  let cum = 0;
  let prevMmr = 0;
  BRACKET_TABLE.forEach(([cap, mmr, lev], i) => {
    cum += floor * (mmr - prevMmr);
    out.push({ bracket: i + 1, initialLeverage: lev, notionalFloor: floor, notionalCap: cap, maintMarginRatio: mmr, cum: round(cum, 8) });
    floor = cap;
    prevMmr = mmr;
  });
  return out;
}

export function makeSymbolInfo(symbol: string, price: number): SymbolInfo {
  const mag = Math.floor(Math.log10(price));
  const pricePrecision = clamp(4 - mag, 1, 6);
  const quantityPrecision = clamp(mag, 0, 3);
  const stepSize = 10 ** -quantityPrecision;
  return {
    symbol,
    baseAsset: symbol.replace(/USDT$/, ''),
    quoteAsset: 'USDT',
    pricePrecision,
    quantityPrecision,
    tickSize: 10 ** -pricePrecision,
    stepSize,
    minQty: stepSize,
    minNotional: 5,
    brackets: makeBrackets(),
  };
}

export function bracketFor(info: SymbolInfo, notional: number): Bracket {
  const abs = Math.abs(notional);
  return info.brackets.find((b) => abs < b.notionalCap) ?? info.brackets[info.brackets.length - 1]!;
}

export function round(v: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
}

/** Binance sends decimals as strings with a fixed number of places. */
export function fmt(v: number, decimals: number): string {
  const r = round(v, decimals);
  return (Object.is(r, -0) ? 0 : r).toFixed(decimals);
}

/** A quantity is valid when it is a whole number of steps. */
export function isStepMultiple(qty: number, step: number): boolean {
  const n = qty / step;
  return Math.abs(n - Math.round(n)) < 1e-6;
}
