import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { request } from '@/lib/messaging/client';
import { settingsExport, settingsGet, settingsHistory, settingsImport, settingsLock, settingsSave } from '@/lib/messaging/settings-requests';
import { DEFAULT_RISK_SETTINGS } from '@/lib/risk/settings';
import { RingfenceDb } from '@/lib/store/db';
import { extensionSender, fakeRuntime, testBackground } from '../helpers/fake-runtime';

const HOUR = 3_600_000;
function setup() {
  const db = new RingfenceDb('ringfence', { indexedDB: new IDBFactory(), IDBKeyRange });
  const clock = { t: Date.UTC(2026, 10, 21, 12) };
  const { bg } = testBackground({ db, now: () => clock.t });
  const { runtime } = fakeRuntime(() => bg, extensionSender('options.html'));
  return { db, bg, runtime, clock };
}
const withDaily = (warningPct: number, emergencyPct: number) => ({
  ...DEFAULT_RISK_SETTINGS,
  account: { ...DEFAULT_RISK_SETTINGS.account, dailyLoss: { warningPct, emergencyPct } },
});

describe('risk settings requests', () => {
  it('serves the defaults until saved', async () => {
    const { runtime } = setup();
    expect(await request(runtime, settingsGet, {})).toEqual({ ok: true, data: { value: DEFAULT_RISK_SETTINGS, updatedAt: null, lockUntil: null } });
  });

  it('refuses invalid values with every field named, and changes nothing', async () => {
    const { runtime, db } = setup();
    const bad = { ...withDaily(3, 2), leverage: { ...DEFAULT_RISK_SETTINGS.leverage, normal: -5 } };
    expect(await request(runtime, settingsSave, { value: bad })).toEqual({
      ok: false,
      error: {
        code: 'invalid_data',
        message: 'The settings were not saved: 4 values are invalid.',
        issues: [
          'leverage.normal: Too small: expected number to be >=1',
          'account.dailyLoss.warningPct: must be below account.dailyLoss.emergencyPct (3 >= 2)',
          'leverage.conservative: must not exceed leverage.normal (10 > -5)',
          'leverage.highVolatility.maxLeverage: must not exceed leverage.normal (3 > -5)',
        ],
      },
    });
    const contradictory = await request(runtime, settingsSave, { value: withDaily(3, 2) });
    expect(contradictory).toMatchObject({
      ok: false,
      error: { issues: ['account.dailyLoss.warningPct: must be below account.dailyLoss.emergencyPct (3 >= 2)'] },
    });
    expect(await db.settings.count()).toBe(0);
  });

  it('saves, records old -> new in the history and the audit log, and bumps the table revision', async () => {
    const { runtime, bg } = setup();
    await bg.ready;
    const saved = await request(runtime, settingsSave, { value: withDaily(0.5, 1.5) });
    expect(saved.ok && saved.data.changes).toEqual([
      { path: 'account.dailyLoss.emergencyPct', from: 2, to: 1.5 },
      { path: 'account.dailyLoss.warningPct', from: 1, to: 0.5 },
    ]);
    expect(bg.viewState().tables.settings).toBe(1);
    expect((await bg.settings()).value.account.dailyLoss).toEqual({ warningPct: 0.5, emergencyPct: 1.5 });
    const history = await request(runtime, settingsHistory, {});
    expect(history.ok && history.data[0]?.source).toBe('options');
  });

  it('a lock refuses loosening, allows tightening, and can only be extended', async () => {
    const { runtime, clock } = setup();
    const until = clock.t + 2 * HOUR;
    expect(await request(runtime, settingsLock, { until })).toMatchObject({ ok: true, data: { lockUntil: until } });
    expect(await request(runtime, settingsSave, { value: withDaily(1, 3) })).toEqual({
      ok: false,
      error: {
        code: 'forbidden',
        message: 'Settings are locked until 2026-11-21 14:00 UTC: Daily loss limit cannot be loosened (2 -> 3). Tightening is allowed.',
      },
    });
    expect(await request(runtime, settingsSave, { value: withDaily(0.5, 1) })).toMatchObject({ ok: true });
    expect(await request(runtime, settingsLock, { until: clock.t + HOUR })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'Settings are locked until 2026-11-21 14:00 UTC; the lock can be extended, not shortened.' },
    });
    expect(await request(runtime, settingsLock, { until: clock.t + 40 * 24 * HOUR })).toMatchObject({
      ok: false,
      error: { message: 'A lock can last at most 30 days.' },
    });
    // After the lock ends, loosening is allowed again.
    clock.t = until + 1;
    expect(await request(runtime, settingsSave, { value: withDaily(1, 3) })).toMatchObject({ ok: true });
  });

  it('exports a versioned file that imports back; bad files change nothing', async () => {
    const { runtime, db } = setup();
    await request(runtime, settingsSave, { value: withDaily(0.5, 1.5) });
    const exported = await request(runtime, settingsExport, {});
    expect(exported.ok && exported.data.filename).toBe('ringfence-settings-2026-11-21.json');
    const text = exported.ok ? exported.data.body : '';
    expect(JSON.parse(text)).toMatchObject({ format: 'ringfence.settings', version: 1, settings: { account: { dailyLoss: { emergencyPct: 1.5 } } } });

    const historyBefore = await db.settingsHistory.count();
    const refusals = await Promise.all(
      [
        'not json {',
        JSON.stringify({ hello: 'world' }),
        JSON.stringify({ format: 'ringfence.settings', version: 2, settings: {} }),
        JSON.stringify({ format: 'ringfence.settings', version: 1, settings: { account: { dailyLoss: { warningPct: 'lots' } } } }),
        JSON.stringify({ format: 'ringfence.settings', version: 1, settings: { surprise: true } }),
      ].map(async (t) => {
        const r = await request(runtime, settingsImport, { text: t });
        return r.ok ? 'accepted' : [r.error.message, ...(r.error.issues ?? [])].join(' | ');
      }),
    );
    expect(refusals).toEqual([
      'This file is not JSON: nothing was changed.',
      'This is not a Ringfence settings file (expected "format": "ringfence.settings"): nothing was changed.',
      'This settings file is version 2; this Ringfence reads version 1: nothing was changed.',
      'The settings were not saved: a value is invalid. | account.dailyLoss.warningPct: Invalid input: expected number, received string',
      'The settings were not saved: a value is invalid. | Unrecognized key: "surprise"',
    ]);
    expect(await db.settingsHistory.count()).toBe(historyBefore);

    // Importing the exported file over other values restores it.
    await request(runtime, settingsSave, { value: withDaily(0.2, 1) });
    const back = await request(runtime, settingsImport, { text });
    expect(back.ok && back.data.view.value).toMatchObject({ account: { dailyLoss: { warningPct: 0.5, emergencyPct: 1.5 } } });
  });
  it('a file whose envelope is not exactly format, version, exportedAt and settings changes nothing and says why', async () => {
    const { runtime, db } = setup();
    await request(runtime, settingsSave, { value: withDaily(0.5, 1) });
    const historyBefore = await db.settingsHistory.count();
    const envelope = { format: 'ringfence.settings', version: 1 };
    const tight = withDaily(0.5, 1);
    const refusals = await Promise.all(
      [
        // The key misspelt (a hand-edited file): it must not import as all defaults.
        { ...envelope, setings: tight },
        envelope,
        { ...envelope, settings: null },
        { ...envelope, settings: [] },
        { ...envelope, settings: tight, comment: 'mine', owner: 'me' },
        { ...envelope, exportedAt: 1, settings: tight },
      ].map(async (doc) => {
        const r = await request(runtime, settingsImport, { text: JSON.stringify(doc) });
        return r.ok ? 'accepted' : r.error.message;
      }),
    );
    expect(refusals).toEqual([
      'This settings file cannot be imported (no "settings" object; unknown key "setings"): nothing was changed.',
      'This settings file cannot be imported (no "settings" object): nothing was changed.',
      'This settings file cannot be imported ("settings" is not an object): nothing was changed.',
      'This settings file cannot be imported ("settings" is not an object): nothing was changed.',
      'This settings file cannot be imported (unknown keys "comment", "owner"): nothing was changed.',
      'This settings file cannot be imported ("exportedAt" is not a text): nothing was changed.',
    ]);
    expect(await db.settingsHistory.count()).toBe(historyBefore);
    const kept = await request(runtime, settingsGet, {});
    expect(kept.ok && kept.data.value).toMatchObject({ account: { dailyLoss: { warningPct: 0.5, emergencyPct: 1 } } });
    // An empty settings object is a file that asks for every default, on purpose: it imports.
    expect(await request(runtime, settingsImport, { text: JSON.stringify({ ...envelope, settings: {} }) })).toMatchObject({ ok: true });
  });
});
