import { z } from 'zod';
import { webSocketUrlProblem } from './transport';

/**
 * The softphone's settings: where and as whom it registers, how calls are handled, global
 * hotkeys and audio devices. Kept by main (JSON beside the other settings); the SIP password is
 * kept apart, encrypted, and never part of these.
 */

/**
 * A ws:// or wss:// URL. ws:// is for loopback only (tests, the demo registrar): production PBXs
 * and SBCs use wss://. That rule (transport.ts) is applied when settings are saved and when the
 * phone starts, not here, so that a file saved by an older desk still loads and can be corrected.
 */
export const SipServerUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((value) => webSocketUrlProblem(value) !== 'not_websocket', 'must be a wss:// (or ws://) URL');

/** A SIP user part or domain: no spaces, no URI punctuation that would change its meaning. */
const SipToken = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._~+-]+$/, 'letters, digits and . _ ~ + - only');

export const IceServer = z
  .object({
    urls: z
      .array(
        z
          .string()
          .trim()
          .regex(/^(stun|stuns|turn|turns):\S+$/, 'must be a stun: or turn: URL'),
      )
      .min(1)
      .max(8),
    username: z.string().max(256).optional(),
    credential: z.string().max(256).optional(),
  })
  .strict();
export type IceServer = z.infer<typeof IceServer>;

export const CODECS = ['opus', 'G722', 'PCMU', 'PCMA'] as const;
export type Codec = (typeof CODECS)[number];

/** SIP codes the agent may choose to refuse calls with while not available. */
export const REJECT_CODES = [486, 480, 603] as const;
export type RejectCode = (typeof REJECT_CODES)[number];
/** A name per code, for translation keys. */
export const REJECT_CODE_NAMES = {
  486: 'busy',
  480: 'unavailable',
  603: 'decline',
} as const satisfies Record<RejectCode, string>;

export const HOTKEY_ACTIONS = ['answer', 'hangUp', 'mute'] as const;
export type HotkeyAction = (typeof HOTKEY_ACTIONS)[number];

/**
 * An Electron accelerator with at least one modifier ("CommandOrControl+Shift+A"): a global
 * hotkey without one would swallow that key in every other application.
 */
export const Accelerator = z
  .string()
  .trim()
  .max(64)
  .regex(
    /^((CommandOrControl|CmdOrCtrl|Control|Ctrl|Command|Cmd|Alt|Option|Shift|Super|Meta)\+)+([A-Z0-9]|F([1-9]|1[0-9]|2[0-4])|Space|Enter|Up|Down|Left|Right|Home|End|PageUp|PageDown)$/,
    'a modifier, "+", then a key, e.g. CommandOrControl+Shift+A',
  );

export const SipSettings = z
  .object({
    serverUrl: z.union([SipServerUrl, z.literal('')]),
    domain: z.union([SipToken, z.literal('')]),
    extension: z.union([SipToken, z.literal('')]),
    /** Digest user name, when the PBX's differs from the extension. */
    authUsername: z.union([SipToken, z.literal('')]),
    displayName: z.string().trim().max(64),
    iceServers: z.array(IceServer).max(8),
    preferredCodec: z.enum(CODECS),
  })
  .strict();
export type SipSettings = z.infer<typeof SipSettings>;

export const CallHandling = z
  .object({
    /** After-call work: seconds before the agent is available again (0: no ACW). */
    acwSeconds: z.number().int().min(0).max(3600),
    /** How calls are refused while the agent is not available. */
    rejectCode: z.union([z.literal(486), z.literal(480), z.literal(603)]),
  })
  .strict();
export type CallHandling = z.infer<typeof CallHandling>;

export const Hotkeys = z.object({ answer: Accelerator, hangUp: Accelerator, mute: Accelerator }).strict();
export type Hotkeys = z.infer<typeof Hotkeys>;

/** Device ids from enumerateDevices; null follows the system default. */
export const AudioDevices = z
  .object({
    microphoneId: z.string().max(256).nullable(),
    speakerId: z.string().max(256).nullable(),
    ringerId: z.string().max(256).nullable(),
  })
  .strict();
export type AudioDevices = z.infer<typeof AudioDevices>;

export const PhoneSettings = z
  .object({ sip: SipSettings, callHandling: CallHandling, hotkeys: Hotkeys, devices: AudioDevices })
  .strict();
export type PhoneSettings = z.infer<typeof PhoneSettings>;

export const DEFAULT_PHONE_SETTINGS: PhoneSettings = {
  sip: {
    serverUrl: '',
    domain: '',
    extension: '',
    authUsername: '',
    displayName: '',
    iceServers: [],
    preferredCodec: 'opus',
  },
  callHandling: { acwSeconds: 30, rejectCode: 486 },
  hotkeys: {
    answer: 'CommandOrControl+Shift+A',
    hangUp: 'CommandOrControl+Shift+H',
    mute: 'CommandOrControl+Shift+M',
  },
  devices: { microphoneId: null, speakerId: null, ringerId: null },
};

/** A change to the settings: any section, and the SIP password (null forgets it). */
export const PhoneSettingsPatch = z
  .object({
    sip: SipSettings.partial().optional(),
    callHandling: CallHandling.partial().optional(),
    hotkeys: Hotkeys.partial().optional(),
    devices: AudioDevices.partial().optional(),
    password: z.string().max(256).nullable().optional(),
  })
  .strict();
export type PhoneSettingsPatch = z.infer<typeof PhoneSettingsPatch>;

/** What the renderer sees of the settings: never the password, only whether one is kept. */
export interface PhoneSettingsView extends PhoneSettings {
  hasPassword: boolean;
  /** Hotkeys another application already owns (they do nothing until changed). */
  unavailableHotkeys: HotkeyAction[];
}

/** Everything the softphone needs to register, handed over per session by `phone.credentials`. */
export interface SipCredentials {
  serverUrl: string;
  /** sip:extension@domain */
  aor: string;
  authUsername: string;
  password: string;
  displayName: string;
  iceServers: IceServer[];
  preferredCodec: Codec;
}

/** The phone is usable once it knows where to register and as whom. */
export const isSipConfigured = (sip: SipSettings): boolean =>
  sip.serverUrl !== '' && sip.domain !== '' && sip.extension !== '';
