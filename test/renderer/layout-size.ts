// happy-dom does no layout: every element measures 0x0, so a virtualized list would render no
// rows. Here every element measures as big as a 1280x800 window, as the desk's smallest screen.
for (const [property, size] of [
  ['clientWidth', 1280],
  ['clientHeight', 800],
] as const) {
  Object.defineProperty(HTMLElement.prototype, property, { configurable: true, get: () => size });
}
