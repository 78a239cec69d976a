import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Order } from '../../../src/shared/domain';
import {
  FIELD_CLASSIFICATION,
  ROLE_FIELD_POLICIES,
  maskEmail,
  maskLine,
  maskName,
  maskPhone,
  maskPostalCode,
  mayReveal,
  visibleOrder,
} from '../../../src/shared/visibility';
import { anOrder } from './rules/order-builder';

/**
 * Every field path of an object schema: a field the classification names is one path (a Money
 * is classified whole); an object it does not name is walked field by field, so a new field
 * of the customer, the payment or the address shows up here unclassified.
 */
function fieldPaths(schema: z.ZodObject, prefix = ''): string[] {
  return Object.entries(schema.shape).flatMap(([key, field]) => {
    const path = `${prefix}${key}`;
    let inner = field as z.ZodType;
    // Optional and nullable wrappers do not change what the field is.
    while (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable) {
      inner = inner.unwrap() as z.ZodType;
    }
    if (path in FIELD_CLASSIFICATION || !(inner instanceof z.ZodObject)) return [path];
    return fieldPaths(inner, `${path}.`);
  });
}

describe('FIELD_CLASSIFICATION', () => {
  it('classifies every field of the Order schema, and nothing else', () => {
    const paths = fieldPaths(Order);
    const classified = Object.keys(FIELD_CLASSIFICATION);
    expect(paths.filter((path) => !classified.includes(path))).toEqual([]);
    expect(classified.filter((path) => !paths.includes(path))).toEqual([]);
  });
});

describe('maskers', () => {
  it.each([
    ['+8613800138000', '+*********8000'],
    ['+86 138 1234 5678', '+** *** **** 5678'],
    ['(555) 010-4477', '(***) ***-4477'],
    ['1234', '1234'],
    ['', ''],
  ])('maskPhone(%j) = %j', (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });

  it.each([
    ['张伟', '张*'],
    ['欧阳娜娜', '欧***'],
    ['Jane Doe', 'J*** D**'],
    ['Al', 'A*'],
    ['X', 'X*'],
  ])('maskName(%j) = %j', (input, expected) => {
    expect(maskName(input)).toBe(expected);
  });

  it.each([
    ['jane.doe@example.com', 'j***@example.com'],
    ['a@b.cn', 'a***@b.cn'],
    ['not-an-email', '***'],
    ['@example.com', '***'],
  ])('maskEmail(%j) = %j', (input, expected) => {
    expect(maskEmail(input)).toBe(expected);
  });

  it.each([
    ['南京路 1 号', '****'],
    ['', ''],
  ])('maskLine(%j) = %j', (input, expected) => {
    expect(maskLine(input)).toBe(expected);
  });

  it.each([
    ['200001', '20****'],
    ['SW1A 1AA', 'SW******'],
    ['12', '12**'],
  ])('maskPostalCode(%j) = %j', (input, expected) => {
    expect(maskPostalCode(input)).toBe(expected);
  });
});

describe('visibleOrder and mayReveal', () => {
  const order = anOrder('CNY').withId('ord_v').item('EL-PB-20K', 15900).flag('fraud_suspect').build();

  it('removes hidden fields rather than blanking them', () => {
    const visible = visibleOrder(order, ROLE_FIELD_POLICIES.logistics);
    expect('riskFlags' in visible).toBe(false);
    expect('method' in visible.payment).toBe(false);
    expect('paidAt' in visible.payment).toBe(false);
    expect(visible.shippingAddress.line1).toBe(order.shippingAddress.line1);
    expect(visible.items).toEqual(order.items);
  });

  it('never reveals a field the role receives in full or not at all', () => {
    expect(mayReveal(ROLE_FIELD_POLICIES.frontline, 'customer.phone')).toBe(true);
    expect(mayReveal(ROLE_FIELD_POLICIES.logistics, 'shippingAddress.line1')).toBe(false);
    expect(mayReveal(ROLE_FIELD_POLICIES.logistics, 'payment.method')).toBe(false);
    expect(mayReveal(ROLE_FIELD_POLICIES.admin, 'customer.phone')).toBe(false);
    expect(mayReveal(ROLE_FIELD_POLICIES.frontline, 'notes')).toBe(false);
  });
});
