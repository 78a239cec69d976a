import { COBROWSE_WS_PATH } from './contract';

export type Lang = 'zh-CN' | 'en';

export interface SnippetOptions {
  /** The gateway's co-browse websocket URL. */
  gatewayUrl: string;
  lang: Lang;
}

/** `zh`, `zh-CN`, `zh-Hans-CN`, … are Chinese; everything else is English. */
export function languageOf(tag: string | null | undefined): Lang {
  return tag && /^zh\b/i.test(tag.trim()) ? 'zh-CN' : 'en';
}

/**
 * `data-gateway` as given: a ws(s):// or http(s):// origin (the co-browse path is added) or a
 * full URL with its path. Without it: the origin the script was loaded from.
 */
export function gatewayUrlOf(
  dataGateway: string | null | undefined,
  scriptSrc: string,
  pageUrl: string,
): string {
  const given = dataGateway?.trim();
  const url = new URL(given || scriptSrc || pageUrl, pageUrl);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new Error(`not a gateway URL: ${url.href}`);
  if (!given || url.pathname === '/' || url.pathname === '') {
    url.pathname = COBROWSE_WS_PATH;
    url.search = '';
  }
  url.hash = '';
  return url.href;
}

/** The options from the script tag's data attributes. */
export function readOptions(
  script: HTMLScriptElement | null,
  pageUrl: string,
  navigatorLanguage: string,
): SnippetOptions {
  const data = script?.dataset ?? {};
  return {
    gatewayUrl: gatewayUrlOf(data.gateway, script?.src ?? '', pageUrl),
    lang: data.lang ? languageOf(data.lang) : languageOf(navigatorLanguage),
  };
}
