import { z } from 'zod';
import { AgentUser, Order, OrderStatus, OrderSummary, Platform, IsoDateTime } from './domain';
import { ERROR_CODES } from './errors';

/**
 * The wire protocol between the desktop and the gateway (`/v1/agent`).
 * JSON frames, validated with these schemas on both sides.
 */
export const PROTOCOL_VERSION = 1;
export const AGENT_WS_PATH = '/v1/agent';
/** Frames above this size are refused before parsing. */
export const MAX_FRAME_BYTES = 64 * 1024;

export const ErrorInfoSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
});

export const SEARCH_TEXT_MAX = 100;
export const SEARCH_LIMIT_MAX = 100;

export const OrderSearchQuery = z
  .object({
    /** Order number, phone digits (4+), customer name or product title; empty lists newest orders. */
    text: z.string().trim().max(SEARCH_TEXT_MAX).default(''),
    statuses: z.array(OrderStatus).max(OrderStatus.options.length).optional(),
    platforms: z.array(Platform).max(Platform.options.length).optional(),
    createdFrom: IsoDateTime.optional(),
    createdTo: IsoDateTime.optional(),
    limit: z.number().int().min(1).max(SEARCH_LIMIT_MAX).default(50),
    /** Opaque cursor from a previous page. */
    cursor: z.string().max(200).optional(),
  })
  .strict();
export type OrderSearchQuery = z.input<typeof OrderSearchQuery>;

export const OrderSearchResult = z.object({
  items: z.array(OrderSummary),
  nextCursor: z.string().nullable(),
});
export type OrderSearchResult = z.infer<typeof OrderSearchResult>;

export const LoginParams = z
  .object({
    username: z.string().trim().min(1).max(64),
    password: z.string().min(1).max(256),
  })
  .strict();

export const LoginResult = z.object({
  token: z.string(),
  expiresAt: IsoDateTime,
  user: AgentUser,
});
export type LoginResult = z.infer<typeof LoginResult>;

/** Every request method: its params and its result schema. */
export const gatewayMethods = {
  'auth.login': { params: LoginParams, result: LoginResult },
  'orders.search': { params: OrderSearchQuery, result: OrderSearchResult },
  'orders.get': {
    params: z.object({ id: z.string().min(1).max(64) }).strict(),
    result: z.object({ order: Order }),
  },
} as const;

export type GatewayMethod = keyof typeof gatewayMethods;
export type GatewayParams<M extends GatewayMethod> = z.input<(typeof gatewayMethods)[M]['params']>;
export type GatewayResult<M extends GatewayMethod> = z.infer<(typeof gatewayMethods)[M]['result']>;

export function isGatewayMethod(name: string): name is GatewayMethod {
  return Object.prototype.hasOwnProperty.call(gatewayMethods, name);
}

/** Methods a connection may call before it is authenticated. */
export const PUBLIC_METHODS: readonly GatewayMethod[] = ['auth.login'];

// ---- frames -------------------------------------------------------------

export const HelloFrame = z
  .object({
    type: z.literal('hello'),
    protocol: z.number().int(),
    client: z.object({ name: z.string().max(64), version: z.string().max(32) }).strict(),
    token: z.string().max(2048).optional(),
  })
  .strict();

export const RequestFrame = z
  .object({
    type: z.literal('req'),
    id: z.string().min(1).max(64),
    method: z.string().min(1).max(64),
    params: z.unknown().optional(),
  })
  .strict();

export const ClientFrame = z.discriminatedUnion('type', [HelloFrame, RequestFrame]);
export type ClientFrame = z.infer<typeof ClientFrame>;
export type HelloFrame = z.infer<typeof HelloFrame>;
export type RequestFrame = z.infer<typeof RequestFrame>;

export const HelloOkFrame = z.object({
  type: z.literal('hello.ok'),
  protocol: z.number().int(),
  server: z.object({ name: z.string(), version: z.string() }),
  user: AgentUser.nullable(),
});

export const ResponseFrame = z.union([
  z.object({ type: z.literal('res'), id: z.string(), ok: z.literal(true), result: z.unknown() }),
  z.object({ type: z.literal('res'), id: z.string(), ok: z.literal(false), error: ErrorInfoSchema }),
]);

/** An error not tied to a request (malformed frame, protocol mismatch). */
export const ErrorFrame = z.object({
  type: z.literal('error'),
  error: ErrorInfoSchema,
});

export const ServerFrame = z.union([HelloOkFrame, ResponseFrame, ErrorFrame]);
export type ServerFrame = z.infer<typeof ServerFrame>;
export type HelloOkFrame = z.infer<typeof HelloOkFrame>;
export type ResponseFrame = z.infer<typeof ResponseFrame>;
