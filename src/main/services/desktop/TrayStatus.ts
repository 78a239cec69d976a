import { trayIndicatorFor, type DeskStatusReport, type TrayIndicator } from '../../../shared/desktop';
import type { TrayAdapter } from './desktop-adapters';

/** Keeps the tray icon in step with the phone and agent state; redraws only on a change. */
export class TrayStatus {
  private shown: { indicator: TrayIndicator; tooltip: string } | null = null;

  constructor(private readonly tray: TrayAdapter) {}

  report(status: DeskStatusReport): TrayIndicator {
    const indicator = trayIndicatorFor(status);
    if (this.shown?.indicator !== indicator || this.shown.tooltip !== status.tooltip) {
      this.shown = { indicator, tooltip: status.tooltip };
      this.tray.show(indicator, status.tooltip);
    }
    return indicator;
  }
}
