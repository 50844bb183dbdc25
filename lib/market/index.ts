/** Market analysis (issue 8): a pure library. No chrome.*, no storage, no network, no clock: time comes in the data. */
export * from './analysis';
export * from './columns';
export * from './correlation';
export * from './indicator-set';
export * as batch from './indicators';
export * from './liquidity';
export * from './regime';
export * from './rolling';
export * from './settings';
export * from './streaming';
export * from './volume-profile';
export * from './vwap';
