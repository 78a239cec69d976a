import { readOptions } from './options';
import { CobrowseSession } from './session';

/**
 * Agent Desk co-browse, the one file a shop embeds:
 *
 *   <script src="https://<gateway>/cobrowse/agent-desk-cobrowse.js" async></script>
 *
 * Options (data attributes of that tag): data-gateway (the gateway's wss:// origin or full
 * co-browse URL; default: where the script came from), data-lang (zh-CN or en; default: the
 * browser's language). Nothing here may throw into the shop's page.
 */
const MOUNTED = Symbol.for('agent-desk-cobrowse');

function script(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  return document.querySelector<HTMLScriptElement>('script[src*="agent-desk-cobrowse"]');
}

function mount(tag: HTMLScriptElement | null): void {
  try {
    const options = readOptions(tag, location.href, navigator.language);
    new CobrowseSession({ window, gatewayUrl: options.gatewayUrl, lang: options.lang });
  } catch (error) {
    console.warn('[agent-desk-cobrowse] not started:', error);
  }
}

try {
  const win = window as unknown as Record<symbol, boolean>;
  if (!win[MOUNTED]) {
    win[MOUNTED] = true;
    // currentScript is only set while this file runs: read it now, mount once there is a body.
    const tag = script();
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', () => mount(tag), { once: true });
    } else {
      mount(tag);
    }
  }
} catch (error) {
  console.warn('[agent-desk-cobrowse] not started:', error);
}
