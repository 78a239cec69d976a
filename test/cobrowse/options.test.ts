import { describe, expect, it } from 'vitest';
import { gatewayUrlOf, languageOf, readOptions } from '../../src/cobrowse/options';

describe('snippet options from the script tag', () => {
  const page = 'https://shop.example/orders/1';

  it('defaults to the origin the script came from, over wss', () => {
    expect(gatewayUrlOf(null, 'https://gw.example/cobrowse/agent-desk-cobrowse.js', page)).toBe(
      'wss://gw.example/v1/cobrowse',
    );
    expect(gatewayUrlOf(undefined, 'http://127.0.0.1:8080/cobrowse/agent-desk-cobrowse.js', page)).toBe(
      'ws://127.0.0.1:8080/v1/cobrowse',
    );
  });

  it('takes data-gateway as an origin or as the full URL', () => {
    expect(gatewayUrlOf('wss://gw.example', '', page)).toBe('wss://gw.example/v1/cobrowse');
    expect(gatewayUrlOf('https://gw.example:8443/', '', page)).toBe('wss://gw.example:8443/v1/cobrowse');
    expect(gatewayUrlOf('wss://gw.example/custom/cobrowse?tenant=a', '', page)).toBe(
      'wss://gw.example/custom/cobrowse?tenant=a',
    );
  });

  it('refuses what is not a gateway URL', () => {
    expect(() => gatewayUrlOf('javascript:alert(1)', '', page)).toThrow();
  });

  it('picks Chinese for zh and English otherwise', () => {
    expect(languageOf('zh-CN')).toBe('zh-CN');
    expect(languageOf('zh-Hans-CN')).toBe('zh-CN');
    expect(languageOf('zh')).toBe('zh-CN');
    expect(languageOf('en-GB')).toBe('en');
    expect(languageOf('fr')).toBe('en');
    expect(languageOf('')).toBe('en');
  });

  it('reads data-gateway and data-lang, with the browser language as the fallback', () => {
    const script = document.createElement('script');
    script.src = 'https://gw.example/cobrowse/agent-desk-cobrowse.js';
    expect(readOptions(script, page, 'zh-TW')).toEqual({
      gatewayUrl: 'wss://gw.example/v1/cobrowse',
      lang: 'zh-CN',
    });
    script.dataset.lang = 'en';
    script.dataset.gateway = 'wss://other.example';
    expect(readOptions(script, page, 'zh-CN')).toEqual({
      gatewayUrl: 'wss://other.example/v1/cobrowse',
      lang: 'en',
    });
  });
});
