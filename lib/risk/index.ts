/** lib/risk: the pure risk engine. No chrome.*, no storage, no network, no clock: `now` is always an argument. */
export * from './types';
export * from './settings';
export * from './format';
export * from './keys';
export * from './periods';
export * from './score';
export * from './state';
export * from './context';
export * from './orders';
export * from './sizing';
export * from './engine';
export * from './validate';
export { RULES } from './rules';
export type { AccountRule, PortfolioRule, Rule } from './rules';
export { streakLeverageCap } from './rules/consecutive-losses';
