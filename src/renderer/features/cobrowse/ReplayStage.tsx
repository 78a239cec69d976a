import { Input, type InputRef } from 'antd';
import { useEffect, useMemo, useRef, useState, type MouseEvent, type WheelEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgentCobrowseMessage } from '../../../shared/cobrowse-protocol';
import { DeskError } from '../../../shared/errors';
import { sendToCustomer, feedOf } from './cobrowse-session';
import {
  fitScale,
  isOnPage,
  scrollTarget,
  toDocument,
  toPanel,
  toViewport,
  type Point,
  type Rect,
  type Size,
} from './coordinates';
import { replayFactory, type ReplaySurface } from './replay-surface';
import { throttle } from './throttle';

export type CobrowseTool = 'pointer' | 'highlight' | 'control';

/** How often the agent's pointer, wheel and typing go to the customer's page at most. */
export const POINTER_INTERVAL_MS = 50;
export const SCROLL_INTERVAL_MS = 100;
export const INPUT_INTERVAL_MS = 150;

interface ReplayStageProps {
  sessionId: string;
  /** The customer lets the agent see the page now (pointer and highlight need it). */
  live: boolean;
  /** The page is not to be shown (ended, declined). */
  hidden: boolean;
  tool: CobrowseTool;
  canScroll: boolean;
  canControl: boolean;
  /** Something the agent should read: a refusal, a hint (a stable function, e.g. a state setter). */
  onNotice: (notice: StageNotice) => void;
}

export type StageNotice = { kind: 'scrollNeedsConsent' } | { kind: 'sendFailed'; error: DeskError };

const ignore = () => undefined;

/**
 * The customer's page, replayed live and scaled to the space the panel has, under a transparent
 * layer that takes the agent's pointer, clicks, wheel and typing and turns them into messages in
 * the customer's document coordinates (within the consent given).
 */
export function ReplayStage({
  sessionId,
  live,
  hidden,
  tool,
  canScroll,
  canControl,
  onNotice,
}: ReplayStageProps) {
  const { t } = useTranslation();
  const hiddenLabel = t('cobrowse.hiddenLabel');
  const stage = useRef<HTMLDivElement>(null);
  const host = useRef<HTMLDivElement>(null);
  const overlay = useRef<HTMLDivElement>(null);
  const [surface, setSurface] = useState<ReplaySurface | null>(null);
  const [viewport, setViewport] = useState<Size | null>(null);
  const [box, setBox] = useState<Size>({ width: 0, height: 0 });
  const [, setTick] = useState(0);
  const [highlight, setHighlight] = useState<number | null>(null);
  const [editor, setEditor] = useState<{ nodeId: number; rect: Rect } | null>(null);
  /** Where the last wheel turns asked the page to scroll to, until the replay shows it there. */
  const pendingScroll = useRef<Point | null>(null);

  // The replay: made once per session (and language, for the label of hidden areas).
  useEffect(() => {
    let cancelled = false;
    let made: ReplaySurface | null = null;
    let detach: () => void = ignore;
    void replayFactory.create(host.current!, { hiddenLabel }).then((replay) => {
      if (cancelled) {
        replay.destroy();
        return;
      }
      made = replay;
      setSurface(replay);
      detach = feedOf(sessionId).attach((batch) => replay.add(batch));
    });
    return () => {
      cancelled = true;
      detach();
      made?.destroy();
      setSurface(null);
      setViewport(null);
    };
  }, [sessionId, hiddenLabel]);

  useEffect(() => {
    if (!surface) return;
    return surface.onChange(() => {
      setViewport(surface.viewport());
      const pending = pendingScroll.current;
      const now = surface.scroll();
      if (pending && pending.x === now.x && pending.y === now.y) pendingScroll.current = null;
      setTick((n) => n + 1);
    });
  }, [surface]);

  // The space the replay may take.
  useEffect(() => {
    const element = stage.current!;
    const measure = () => setBox({ width: element.clientWidth, height: element.clientHeight });
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const send = useMemo(() => {
    const report = (error: unknown) => onNotice({ kind: 'sendFailed', error: DeskError.from(error) });
    const quiet = (message: AgentCobrowseMessage) => void sendToCustomer(message).catch(ignore);
    return {
      now: (message: AgentCobrowseMessage) => void sendToCustomer(message).catch(report),
      pointer: throttle<Point>((point) => quiet({ type: 'pointer', ...point }), POINTER_INTERVAL_MS),
      scroll: throttle<Point>((point) => quiet({ type: 'scroll', ...point }), SCROLL_INTERVAL_MS),
      input: throttle<{ nodeId: number; value: string }>(
        ({ nodeId, value }) => void sendToCustomer({ type: 'input', nodeId, value }).catch(report),
        INPUT_INTERVAL_MS,
      ),
    };
  }, [onNotice]);
  useEffect(
    () => () => {
      send.pointer.cancel();
      send.scroll.cancel();
      send.input.flush();
    },
    [send],
  );

  // Another tool, or control gone: nothing half done stays on screen.
  const [toolSeen, setToolSeen] = useState({ tool, canControl });
  if (toolSeen.tool !== tool || toolSeen.canControl !== canControl) {
    setToolSeen({ tool, canControl });
    if (tool !== 'highlight') setHighlight(null);
    if (tool !== 'control' || !canControl) setEditor(null);
  }

  const scale = viewport ? fitScale(viewport, box) : 1;

  /** The point under the mouse over the drawn replay, if it is on the customer's page. */
  const panelPoint = (event: MouseEvent | WheelEvent): Point | null => {
    if (!viewport || !overlay.current) return null;
    const bounds = overlay.current.getBoundingClientRect();
    const point = { x: event.clientX - bounds.left, y: event.clientY - bounds.top };
    return isOnPage(toViewport(point, scale), viewport) ? point : null;
  };

  const onMouseMove = (event: MouseEvent) => {
    if (!live || !surface) return;
    const point = panelPoint(event);
    if (point) send.pointer.push(toDocument(point, scale, surface.scroll()));
  };

  const onClick = (event: MouseEvent) => {
    if (!live || !surface) return;
    const point = panelPoint(event);
    const target = point ? surface.targetAt(toViewport(point, scale)) : null;
    if (tool === 'highlight') {
      const nodeId = target && target.nodeId !== highlight ? target.nodeId : null;
      setHighlight(nodeId);
      send.now({ type: 'highlight', nodeId });
    } else if (tool === 'control' && canControl && target) {
      send.input.flush();
      send.now({ type: 'click', nodeId: target.nodeId });
      setEditor(target.editable ? { nodeId: target.nodeId, rect: target.rect } : null);
    }
  };

  const onWheel = (event: WheelEvent) => {
    if (!live || !surface) return;
    if (!canScroll) {
      onNotice({ kind: 'scrollNeedsConsent' });
      return;
    }
    const target = scrollTarget(
      pendingScroll.current ?? surface.scroll(),
      { x: event.deltaX, y: event.deltaY },
      surface.maxScroll(),
    );
    pendingScroll.current = target;
    send.scroll.push(target);
  };

  const highlightRect = highlight !== null && surface ? surface.rectOf(highlight) : null;
  const drawn = viewport ? { width: viewport.width * scale, height: viewport.height * scale } : null;

  return (
    <div className="cobrowse-stage" ref={stage} data-testid="cobrowse-stage">
      <div
        className="cobrowse-sizer"
        style={drawn ? { width: drawn.width, height: drawn.height } : undefined}
        hidden={hidden}
      >
        <div
          ref={host}
          className="cobrowse-replay-host"
          data-testid="cobrowse-replay-host"
          data-scale={scale.toFixed(4)}
          style={{ transform: `scale(${scale})` }}
        />
        <div
          ref={overlay}
          className={`cobrowse-overlay cobrowse-overlay-${tool}`}
          data-testid="cobrowse-overlay"
          onMouseMove={onMouseMove}
          onClick={onClick}
          onWheel={onWheel}
          onMouseLeave={() => {
            pendingScroll.current = null;
          }}
        >
          {highlightRect ? (
            <div
              className="cobrowse-highlight"
              data-testid="cobrowse-highlight"
              style={rectStyle(toPanel(highlightRect, scale))}
            />
          ) : null}
          {editor ? (
            <TypingBox
              style={rectStyle(toPanel(surface?.rectOf(editor.nodeId) ?? editor.rect, scale))}
              placeholder={t('cobrowse.typeHere')}
              onType={(value) => send.input.push({ nodeId: editor.nodeId, value })}
              onDone={() => {
                send.input.flush();
                setEditor(null);
              }}
            />
          ) : null}
        </div>
      </div>
    </div>
  );
}

const rectStyle = (rect: Rect) => ({ left: rect.x, top: rect.y, width: rect.width, height: rect.height });

/** Where the agent types for the customer: over the field it clicked, sent as they type. */
function TypingBox({
  style,
  placeholder,
  onType,
  onDone,
}: {
  style: ReturnType<typeof rectStyle>;
  placeholder: string;
  onType: (value: string) => void;
  onDone: () => void;
}) {
  const input = useRef<InputRef>(null);
  const [value, setValue] = useState('');
  useEffect(() => input.current?.focus(), []);
  return (
    <div
      className="cobrowse-typing"
      style={{ left: style.left, top: style.top + style.height + 2, minWidth: Math.max(style.width, 160) }}
      onClick={(event) => event.stopPropagation()}
    >
      <Input
        ref={input}
        size="small"
        value={value}
        placeholder={placeholder}
        maxLength={1000}
        data-testid="cobrowse-typing"
        onChange={(event) => {
          setValue(event.target.value);
          onType(event.target.value);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter' || event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            onDone();
          }
        }}
        onBlur={onDone}
      />
    </div>
  );
}
