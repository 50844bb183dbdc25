import { browser } from 'wxt/browser';
import type { RuntimeLike } from '@/lib/messaging/client';

/** The extension runtime as the messaging client sees it (structural, so lib/ stays free of chrome.*). */
export const extensionRuntime = (): RuntimeLike => browser.runtime as unknown as RuntimeLike;
