import type { NotificationAction, RingingNotice, ShownNotification } from '../../../shared/desktop';
import type { NotificationAdapter, WindowAdapter } from './desktop-adapters';

export interface IncomingCallNotifierEvents {
  shown(notification: ShownNotification): void;
  action(action: NotificationAction): void;
}

/**
 * A native notification with Answer / Decline for a ringing call when the desk is not in front
 * (an agent in another app must not miss a call). Answering from it brings the desk forward.
 */
export class IncomingCallNotifier {
  private readonly open = new Set<string>();

  constructor(
    private readonly notifications: NotificationAdapter,
    private readonly window: WindowAdapter,
    private readonly events: IncomingCallNotifierEvents,
  ) {}

  /** Returns whether a notification was shown (not when the agent is already looking). */
  ringing(notice: RingingNotice): boolean {
    if (this.window.isFocused() || this.open.has(notice.callId)) return false;
    this.open.add(notice.callId);
    this.notifications.show(
      {
        id: notice.callId,
        title: notice.title,
        body: notice.body,
        answerLabel: notice.answerLabel,
        declineLabel: notice.declineLabel,
      },
      (choice) => {
        this.open.delete(notice.callId);
        if (choice !== 'decline') this.window.focus();
        if (choice !== 'open') this.events.action({ callId: notice.callId, action: choice });
      },
    );
    this.events.shown({
      id: notice.callId,
      callId: notice.callId,
      title: notice.title,
      body: notice.body,
      actions: [notice.answerLabel, notice.declineLabel],
    });
    return true;
  }

  /** The call was answered, declined or given up elsewhere: the notification goes away. */
  stopped(callId: string): void {
    if (!this.open.delete(callId)) return;
    this.notifications.close(callId);
  }
}
