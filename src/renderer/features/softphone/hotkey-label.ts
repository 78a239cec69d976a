import { isMac } from '../../app/shortcuts';

/** An Electron accelerator as the agent reads it on this platform ("Ctrl+Shift+A", "⌘⇧A"). */
export function hotkeyLabel(accelerator: string): string {
  return accelerator
    .split('+')
    .map((part) => {
      if (/^(CommandOrControl|CmdOrCtrl)$/.test(part)) return isMac ? '⌘' : 'Ctrl';
      if (/^(Command|Cmd)$/.test(part)) return '⌘';
      if (part === 'Control') return 'Ctrl';
      if (part === 'Option') return 'Alt';
      return part;
    })
    .join('+');
}
