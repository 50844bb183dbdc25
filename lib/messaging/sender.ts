import { matchTradingPage, type TradingPage } from '../pages/match';

/** The fields of runtime.MessageSender that the check reads (Chrome and Firefox both provide them). */
export interface SenderLike {
  id?: string;
  url?: string;
  tab?: { id?: number };
  frameId?: number;
}

export type Sender =
  | { class: 'extension'; url: string }
  | { class: 'content'; tabId: number; frameId: number; url: string; page: TradingPage };

export interface SenderContext {
  extensionId: string;
  /** runtime.getURL(''): chrome-extension://<id>/ or, on Firefox, moz-extension://<uuid>/. */
  extensionBaseUrl: string;
}

/**
 * Classifies a sender, or returns null when it is not one we accept: another extension, a web page, a frame that is
 * not the top frame, or a content script on a page that is not a matched trading page.
 */
export function classifySender(sender: SenderLike | undefined, ctx: SenderContext): Sender | null {
  if (!sender || sender.id !== ctx.extensionId || typeof sender.url !== 'string') return null;
  if (sender.url.startsWith(ctx.extensionBaseUrl)) return { class: 'extension', url: sender.url };
  const tabId = sender.tab?.id;
  if (tabId === undefined || tabId < 0 || sender.frameId !== 0) return null;
  const page = matchTradingPage(sender.url);
  if (!page) return null;
  return { class: 'content', tabId, frameId: 0, url: sender.url, page };
}
