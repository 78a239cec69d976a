import type { z } from 'zod';
import { Order } from '../../shared/domain';
import { summarizeIssues } from '../ws/summarize-issues';
import { invalidPayload } from './money';

/** A platform payload checked against the schema of the fields an adapter reads; BAD_REQUEST if not. */
export function parsePlatformPayload<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidPayload(`Invalid ${what}: ${summarizeIssues(parsed.error)}`);
  return parsed.data;
}

/** The adapter's result checked against the domain schema, so nothing malformed is ever stored. */
export function checkedOrder(order: Order): Order {
  const parsed = Order.safeParse(order);
  if (!parsed.success)
    throw invalidPayload(`Payload maps to an invalid order: ${summarizeIssues(parsed.error)}`);
  return parsed.data;
}
