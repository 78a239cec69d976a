/**
 * The replay is the customer's viewport drawn smaller (or as is) in the space the panel has. The
 * agent points, clicks and scrolls in that drawing; the customer's page needs its own CSS pixels.
 */

export interface Size {
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface Rect extends Point, Size {}

/** The scale that fits the whole viewport into the box; never enlarged (it would only blur). */
export function fitScale(viewport: Size, box: Size): number {
  if (viewport.width <= 0 || viewport.height <= 0 || box.width <= 0 || box.height <= 0) return 1;
  return Math.min(1, box.width / viewport.width, box.height / viewport.height);
}

/** A point over the drawn replay (from its top-left corner) in the customer's viewport. */
export function toViewport(point: Point, scale: number): Point {
  return { x: point.x / scale, y: point.y / scale };
}

/** A point over the drawn replay in the customer's document: the viewport point plus its scroll. */
export function toDocument(point: Point, scale: number, scroll: Point): Point {
  const inViewport = toViewport(point, scale);
  return { x: Math.round(inViewport.x + scroll.x), y: Math.round(inViewport.y + scroll.y) };
}

/** A rectangle of the customer's viewport as drawn in the panel. */
export function toPanel(rect: Rect, scale: number): Rect {
  return { x: rect.x * scale, y: rect.y * scale, width: rect.width * scale, height: rect.height * scale };
}

/** Whether a viewport point lies on the customer's page (not in the margin around a smaller drawing). */
export function isOnPage(point: Point, viewport: Size): boolean {
  return point.x >= 0 && point.y >= 0 && point.x < viewport.width && point.y < viewport.height;
}

/**
 * Where a wheel turn over the replay scrolls the customer's page to: on from the last position
 * asked for (the replay shows the page's answer a moment later), by the wheel's distance in the
 * page's pixels, never before the page's start or past its end.
 */
export function scrollTarget(from: Point, delta: Point, max: Point): Point {
  const clamp = (value: number, limit: number) =>
    Math.round(Math.min(Math.max(value, 0), Math.max(limit, 0)));
  return { x: clamp(from.x + delta.x, max.x), y: clamp(from.y + delta.y, max.y) };
}
