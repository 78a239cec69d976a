/**
 * The window's Content-Security-Policy lets the renderer reach only the phone server it was
 * loaded with: main builds connect-src from the phone settings for every response, and a
 * document keeps the policy it loaded with. So a newly saved PBX address is refused by the page
 * until it reloads. The desk reloads the window itself as soon as that loses nothing (no call,
 * no after-call work with its unsaved wrap-up); it never cuts a call short, because a new address
 * is only used once the last call has ended (see Softphone.settingsSaved). In the browser
 * harness the page's meta policy allows every websocket, so no reload is ever needed there.
 */

/** Session storage key: the phone server origin the window last reloaded for. */
const RELOADED_FOR = 'agentDesk.reloadedForPhoneServer';

/** scheme://host[:port], or null when the text is not a URL. */
function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

/** True when the violation is the page's policy refusing the websocket to this phone server. */
export function blocksPhoneServer(
  violation: Pick<SecurityPolicyViolationEvent, 'effectiveDirective' | 'blockedURI'>,
  serverUrl: string,
): boolean {
  const server = originOf(serverUrl);
  return (
    violation.effectiveDirective === 'connect-src' &&
    server !== null &&
    originOf(violation.blockedURI) === server
  );
}

export interface PolicyReloadDeps {
  /** True when no call is on and no after-call work is open. */
  isIdle(): boolean;
  /** Tells the listener whenever that may have changed; returns its remover. */
  onChange(listener: () => void): () => void;
  reload(): void;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
}

/**
 * The phone server at serverUrl is refused by the page's policy: reloads now if idle, else when
 * idle ('reloading'). Once per address: if the reloaded page still refuses it (the policy cannot
 * name it), 'blocked' and no reload, rather than a reload loop.
 */
export function reloadForPhoneServer(serverUrl: string, deps: PolicyReloadDeps): 'reloading' | 'blocked' {
  const origin = originOf(serverUrl);
  if (origin === null || deps.storage.getItem(RELOADED_FOR) === origin) return 'blocked';
  const reload = () => {
    deps.storage.setItem(RELOADED_FOR, origin);
    deps.reload();
  };
  if (deps.isIdle()) {
    reload();
  } else {
    const stopWatching = deps.onChange(() => {
      if (!deps.isIdle()) return;
      stopWatching();
      reload();
    });
  }
  return 'reloading';
}
