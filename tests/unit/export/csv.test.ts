import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '@/lib/export/csv';
import { auditToCsv, fillsToCsv, toJsonExport } from '@/lib/export/exports';

describe('csv', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ['+1', "'+1"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    [-2.5, '-2.5'],
    [0, '0'],
    [Number.NaN, ''],
    [null, ''],
    [undefined, ''],
    [true, 'true'],
  ] as const)('cell %j -> %s', (value, out) => {
    expect(csvCell(value)).toBe(out);
  });

  it('writes a header, CRLF rows and a final CRLF', () => {
    expect(toCsv([{ a: 1, b: 'x' }], [{ header: 'a', value: (r) => r.a }, { header: 'b', value: (r) => r.b }])).toBe(
      'a,b\r\n1,x\r\n',
    );
  });

  it('exports audit entries and fills', () => {
    expect(
      auditToCsv([{ id: 3, ts: 0, kind: 'rule.daily_loss', severity: 'critical', message: 'Daily loss 2.1% of equity, limit 2%.', data: { v: 1 } }]),
    ).toBe(
      'id,time,severity,kind,message,data\r\n' +
        '3,1970-01-01T00:00:00.000Z,critical,rule.daily_loss,"Daily loss 2.1% of equity, limit 2%.","{""v"":1}"\r\n',
    );
    const csv = fillsToCsv([
      {
        venue: 'hyperliquid',
        accountId: '0xabc',
        tradeId: 't1',
        symbol: 'BTC',
        side: 'sell',
        price: 97000.5,
        size: 0.01,
        fee: -0.01,
        feeAsset: 'USDC',
        realizedPnl: -12.5,
        time: 1000,
        orderId: 'o',
        clientOrderId: null,
        strategyId: 'grid-1',
      },
    ]);
    expect(csv.split('\r\n')[1]).toBe('1970-01-01T00:00:01.000Z,hyperliquid,0xabc,BTC,sell,97000.5,0.01,-0.01,USDC,-12.5,t1,o,,grid-1');
  });

  it('json exports name their format and version', () => {
    expect(JSON.parse(toJsonExport('trades', [{ x: 1 }], 0))).toEqual({
      format: 'ringfence.trades',
      version: 1,
      exportedAt: '1970-01-01T00:00:00.000Z',
      rows: [{ x: 1 }],
    });
  });

  it('a time a Date cannot hold is an empty cell, not a RangeError that fails the whole export', () => {
    const entry = (id: number, ts: number) => ({ id, ts, kind: 'k', severity: 'info' as const, message: 'm' });
    expect(auditToCsv([entry(1, Number.NaN), entry(2, Number.POSITIVE_INFINITY), entry(3, 8.64e15 + 1), entry(4, 0)]).split('\r\n')).toEqual([
      'id,time,severity,kind,message,data',
      '1,,info,k,m,',
      '2,,info,k,m,',
      '3,,info,k,m,',
      '4,1970-01-01T00:00:00.000Z,info,k,m,',
      '',
    ]);
  });
});
