/** market.settings.*: stored under their own key, validated whole, audited, refused from content scripts. */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { request } from '@/lib/messaging/client';
import { marketSettingsGet, marketSettingsReset, marketSettingsSave } from '@/lib/messaging/market-settings-requests';
import { settingsGet } from '@/lib/messaging/settings-requests';
import { DEFAULT_MARKET_SETTINGS } from '@/lib/market/settings';
import { DEFAULT_RISK_SETTINGS } from '@/lib/risk/settings';
import { recentAudit } from '@/lib/store/audit';
import { RingfenceDb } from '@/lib/store/db';
import { contentSender, extensionSender, fakeRuntime, testBackground } from '../helpers/fake-runtime';

const T = Date.UTC(2026, 10, 21, 12);
function setup() {
  const db = new RingfenceDb('ringfence', { indexedDB: new IDBFactory(), IDBKeyRange });
  const { bg } = testBackground({ db, now: () => T });
  const { runtime } = fakeRuntime(() => bg, extensionSender('options.html'));
  return { db, bg, runtime };
}
const withTrend = (t: Partial<typeof DEFAULT_MARKET_SETTINGS.trend>) => ({ ...DEFAULT_MARKET_SETTINGS, trend: { ...DEFAULT_MARKET_SETTINGS.trend, ...t } });

describe('market settings requests', () => {
  it('serves the defaults until saved', async () => {
    const { runtime } = setup();
    expect(await request(runtime, marketSettingsGet, {})).toEqual({ ok: true, data: { value: DEFAULT_MARKET_SETTINGS, updatedAt: null } });
  });

  it('stores a change under its own key, records it in the history and the audit log, and bumps the settings revision', async () => {
    const { runtime, bg, db } = setup();
    await bg.ready;
    const saved = await request(runtime, marketSettingsSave, { value: withTrend({ adxStrong: 30 }) });
    expect(saved.ok && saved.data.changes).toEqual([{ path: 'trend.adxStrong', from: 25, to: 30 }]);
    expect(saved.ok && saved.data.view).toEqual({ value: withTrend({ adxStrong: 30 }), updatedAt: T });
    expect((await request(runtime, marketSettingsGet, {})).ok && (await bg.marketSettings()).value.trend.adxStrong).toBe(30);
    expect(bg.viewState().tables.settings).toBe(1);
    expect((await db.settings.get('market'))?.value).toEqual(withTrend({ adxStrong: 30 }));
    // The risk settings are another key, untouched.
    expect(await request(runtime, settingsGet, {})).toMatchObject({ ok: true, data: { value: DEFAULT_RISK_SETTINGS, updatedAt: null } });
    expect((await db.settingsHistory.toArray()).map((h) => [h.key, h.source, h.changes])).toEqual([['market', 'options', [{ path: 'trend.adxStrong', from: 25, to: 30 }]]]);
    const audit = (await recentAudit(db, 10)).filter((a) => a.kind === 'market.settings.changed');
    expect(audit.map((a) => [a.severity, a.message])).toEqual([['notice', 'Market analysis settings changed (options): trend.adxStrong 25 -> 30.']]);
    // Saving the same value again records nothing.
    const again = await request(runtime, marketSettingsSave, { value: withTrend({ adxStrong: 30 }) });
    expect(again.ok && again.data.changes).toEqual([]);
    expect(await db.settingsHistory.count()).toBe(1);
  });

  it('refuses a bad value with the field named, and changes nothing', async () => {
    const { runtime, bg, db } = setup();
    await bg.ready;
    await request(runtime, marketSettingsSave, { value: withTrend({ adxStrong: 30 }) });
    const contradictory = await request(runtime, marketSettingsSave, { value: withTrend({ adxStrong: 30, adxWeak: 35 }) });
    expect(contradictory).toEqual({
      ok: false,
      error: {
        code: 'invalid_data',
        message: 'The analysis settings were not saved: trend.adxWeak (35) must not exceed trend.adxStrong (30).',
        issues: ['trend.adxWeak (35) must not exceed trend.adxStrong (30)'],
      },
    });
    const outOfRange = await request(runtime, marketSettingsSave, {
      value: { ...DEFAULT_MARKET_SETTINGS, volatility: { ...DEFAULT_MARKET_SETTINGS.volatility, hvPeriod: 1 }, profile: { ...DEFAULT_MARKET_SETTINGS.profile, valueArea: 0 } },
    });
    expect(outOfRange).toEqual({
      ok: false,
      error: {
        code: 'invalid_data',
        message:
          'The analysis settings were not saved: volatility.hvPeriod: Too small: expected number to be >=2; profile.valueArea: Too small: expected number to be >0.',
        issues: ['volatility.hvPeriod: Too small: expected number to be >=2', 'profile.valueArea: Too small: expected number to be >0'],
      },
    });
    const unknown = await request(runtime, marketSettingsSave, { value: { trend: { adxStrng: 30 } } });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid_data', issues: ['trend: Unrecognized key: "adxStrng"'] } });
    expect((await bg.marketSettings()).value).toEqual(withTrend({ adxStrong: 30 }));
    expect(await db.settingsHistory.count()).toBe(1);
    expect(bg.viewState().tables.settings).toBe(1);
  });

  it('resets to the defaults, audited; a reset of the defaults records nothing', async () => {
    const { runtime, bg, db } = setup();
    await bg.ready;
    await request(runtime, marketSettingsSave, { value: { ...withTrend({ adxStrong: 30 }), timeframes: ['1h', '4h'] } });
    const reset = await request(runtime, marketSettingsReset, {});
    expect(reset.ok && reset.data.changes).toEqual([
      { path: 'timeframes', from: ['1h', '4h'], to: ['15m', '1h', '4h'] },
      { path: 'trend.adxStrong', from: 30, to: 25 },
    ]);
    expect((await bg.marketSettings()).value).toEqual(DEFAULT_MARKET_SETTINGS);
    const audit = (await recentAudit(db, 10)).filter((a) => a.kind === 'market.settings.changed');
    expect(audit[0]?.message).toBe('Market analysis settings changed (reset): timeframes ["1h","4h"] -> ["15m","1h","4h"], trend.adxStrong 30 -> 25.');
    const again = await request(runtime, marketSettingsReset, {});
    expect(again.ok && again.data.changes).toEqual([]);
  });

  it('is not accepted from a trading page', async () => {
    const { bg } = setup();
    const panel = fakeRuntime(() => bg, contentSender('https://www.binance.com/en/futures/BTCUSDT')).runtime;
    expect(await request(panel, marketSettingsSave, { value: {} })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: '"market.settings.save" is not accepted from content.' },
    });
    expect(await request(panel, marketSettingsGet, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
