import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { MaskingRule, type MaskingPolicy } from '../../shared/cobrowse-protocol';
import type { Role } from '../../shared/domain';
import { ROLE_FIELD_POLICIES } from '../../shared/visibility';
import { summarizeIssues } from '../ws/summarize-issues';

/** What MaskingPolicy allows: the rules travel with every join. */
export const MAX_MASKING_RULES = 200;

/** A rules file: a JSON array of MaskingRule; a pattern is a path prefix or a glob, so it starts with / or *. */
export const MaskingRules = z
  .array(
    MaskingRule.refine((rule) => rule.urlPattern.startsWith('/') || rule.urlPattern.startsWith('*'), {
      message: 'urlPattern must start with / (a path prefix) or * (a glob)',
      path: ['urlPattern'],
    }),
  )
  .max(MAX_MASKING_RULES);

/**
 * How the snippet records a page for an agent of `role`: each tagged field class as the role
 * receives it from the gateway (ROLE_FIELD_POLICIES: the same classification that masks orders),
 * payment blocked whatever the role grants, public in full; plus the shop's per-URL rules.
 */
export function maskingPolicyFor(role: Role, rules: readonly MaskingRule[]): MaskingPolicy {
  const { grants } = ROLE_FIELD_POLICIES[role];
  return {
    classes: {
      public: 'full',
      contact: grants.contact,
      address: grants.address,
      // Card data never leaves the customer's browser, whoever watches.
      payment: 'hidden',
      internal: grants.internal,
      risk: grants.risk,
    },
    rules: rules.map((rule) => ({ ...rule, mask: [...rule.mask], block: [...rule.block] })),
  };
}

/** Validates masking rules given as data (GatewayOptions); throws an Error saying what is wrong. */
export function parseMaskingRules(value: unknown, source = 'co-browse masking rules'): MaskingRule[] {
  const parsed = MaskingRules.safeParse(value);
  if (!parsed.success) {
    throw new Error(
      `${source}: expected a JSON array of at most ${MAX_MASKING_RULES} rules ` +
        `({ "urlPattern": "/checkout*", "mask": ["#phone"], "block": [".card"] }): ${summarizeIssues(parsed.error)}`,
    );
  }
  return parsed.data;
}

/** Reads and validates a rules file (--cobrowse-rules); throws an Error naming the file and the problem. */
export function readMaskingRulesFile(path: string): MaskingRule[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`--cobrowse-rules: cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`--cobrowse-rules: ${path} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  return parseMaskingRules(value, `--cobrowse-rules ${path}`);
}
