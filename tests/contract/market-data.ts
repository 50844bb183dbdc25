/** Readers for the real market data in ../shared/fixtures/market (see SOURCES.md there). Call only inside describeFixtures. */
import { readFileSync } from 'node:fs';
import { type Candle, CandleSchema, type Trade, TradeSchema } from '../../lib/domain/market';
import { fixturePath, readFixtureJson } from './fixtures';

export const XRP_5M = 'XRP_USDT_USDT-5m-futures.json';
export const BTC_1M = 'UNITTEST_BTC-1m.json';
export const ETH_TRADES = 'ETH_USDT-trades.csv';

/** freqtrade layout [openTimeMs, open, high, low, close, volume], validated against the domain schema. */
export function readCandles(file: string): Candle[] {
  const rows = readFixtureJson<[number, number, number, number, number, number][]>('market', file);
  return rows.map(([time, open, high, low, close, volume]) => CandleSchema.parse({ time, open, high, low, close, volume }));
}

/** freqtrade trades CSV: ",timestamp,id,type,side,price,amount,cost,date". */
export function readTrades(file: string): Trade[] {
  const lines = readFileSync(fixturePath('market', file), 'utf8').trim().split('\n');
  const header = lines[0]!.split(',');
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${file}: no column ${name}`);
    return i;
  };
  const [ts, side, price, amount] = [col('timestamp'), col('side'), col('price'), col('amount')];
  return lines.slice(1).map((line) => {
    const f = line.split(',');
    return TradeSchema.parse({ time: Number(f[ts]), price: Number(f[price]), size: Number(f[amount]), side: f[side] });
  });
}
