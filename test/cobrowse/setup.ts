/**
 * rrweb's recorder reads the DOM through "untainted" accessors: it takes Node's getters from
 * the prototype when they look native, else from a fresh iframe's. happy-dom's are plain
 * JavaScript, and Node.prototype's own getters (textContent, …) do not dispatch to the
 * subclasses' overrides as a browser's do, so rrweb would record empty text. Here Node's
 * getters dispatch to the subclass's and look native, and MutationObserver looks native (an
 * iframe's would not see this document's nodes). Elements still go through the iframe path,
 * which needs happy-dom's iframe loading (vitest.config.ts). Test-environment plumbing only:
 * the benchmark runs the built snippet in Chromium.
 */
const nativeLooking = new WeakSet<object>();
const originalToString = Function.prototype.toString;
Function.prototype.toString = function (this: object) {
  return nativeLooking.has(this) ? 'function () { [native code] }' : originalToString.call(this as never);
};

const NODE_ACCESSORS = [
  'childNodes',
  'parentNode',
  'parentElement',
  'textContent',
  'ownerDocument',
  'firstChild',
  'lastChild',
  'nextSibling',
  'previousSibling',
];
for (const name of NODE_ACCESSORS) {
  const own = Object.getOwnPropertyDescriptor(Node.prototype, name);
  const get = function (this: Node) {
    for (
      let proto = Object.getPrototypeOf(this);
      proto && proto !== Node.prototype;
      proto = Object.getPrototypeOf(proto)
    ) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (descriptor?.get) return descriptor.get.call(this);
    }
    return own?.get?.call(this);
  };
  nativeLooking.add(get);
  Object.defineProperty(Node.prototype, name, { ...own, get, configurable: true });
}
nativeLooking.add(MutationObserver);
nativeLooking.add(Node.prototype.contains);
nativeLooking.add(Node.prototype.getRootNode);
// rrweb's polyfill() reads window.DOMTokenList, which happy-dom does not expose.
const win = window as unknown as Record<string, unknown>;
if (!win.DOMTokenList) win.DOMTokenList = document.body.classList.constructor;
// rrweb reads a stylesheet's rules through the legacy `rules` alias (every browser has it) and,
// without it, walks the CSSRule constructor instead: a TypeError in a timer. happy-dom only has
// `cssRules`.
if (!('rules' in CSSStyleSheet.prototype)) {
  Object.defineProperty(CSSStyleSheet.prototype, 'rules', {
    get(this: CSSStyleSheet) {
      return this.cssRules;
    },
    configurable: true,
  });
}
