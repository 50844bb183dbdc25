/** Every request the background answers. Imported by the router only: views import the definitions they send. */
import type * as z from 'zod/mini';
import { auditList, stateGet, type RequestDef } from './requests';
import { ACCOUNT_REQUESTS } from './account-requests';
import { ACTIVITY_REQUESTS } from './activity-requests';
import { RISK_REQUESTS } from './risk-requests';
import { SETTINGS_REQUESTS } from './settings-requests';
import { STRATEGY_REQUESTS } from './strategy-requests';
import { GUARD_REQUESTS } from './guard-requests';
import { MARKET_REQUESTS } from './market-requests';
import { MARKET_SETTINGS_REQUESTS } from './market-settings-requests';

export const ALL_REQUESTS = [stateGet, auditList, ...STRATEGY_REQUESTS, ...ACCOUNT_REQUESTS, ...ACTIVITY_REQUESTS, ...SETTINGS_REQUESTS, ...RISK_REQUESTS, ...GUARD_REQUESTS, ...MARKET_REQUESTS, ...MARKET_SETTINGS_REQUESTS] as const;

export type AnyRequest = (typeof ALL_REQUESTS)[number];
export type RequestName = AnyRequest['name'];
export type RequestOf<N extends RequestName> = Extract<AnyRequest, { name: N }>;
export type DataOf<R extends RequestDef> = z.output<R['data']>;
