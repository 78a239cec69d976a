import type { Order } from '../../../shared/domain';

/** A made-up order the view editor's preview renders through the role's visibility. */
export const SAMPLE_ORDER: Order = {
  id: 'preview-order',
  platform: 'demo',
  platformOrderId: 'DEMO-PREVIEW-1',
  displayNumber: 'PREVIEW-1001',
  customer: {
    id: 'preview-customer',
    name: '张伟 Zhang Wei',
    phone: '+86 138 0000 1234',
    email: 'zhang.wei@example.com',
  },
  status: 'shipped',
  payment: {
    method: 'alipay',
    amount: { amount: 25_800, currency: 'CNY' },
    status: 'paid',
    paidAt: '2026-11-20T08:15:00.000Z',
  },
  items: [
    {
      sku: 'TEA-SET-01',
      title: '青瓷茶具套装 Celadon tea set',
      category: 'homeware',
      qty: 1,
      unitPrice: { amount: 19_800, currency: 'CNY' },
      returnable: true,
    },
    {
      sku: 'TEA-OOLONG',
      title: '乌龙茶 Oolong tea 250g',
      category: 'food',
      qty: 2,
      unitPrice: { amount: 3_000, currency: 'CNY' },
      returnable: false,
    },
  ],
  shippingFee: { amount: 0, currency: 'CNY' },
  shippingAddress: {
    name: '张伟 Zhang Wei',
    phone: '+86 138 0000 1234',
    line1: '浦东新区世纪大道 100 号',
    line2: '',
    city: '上海 Shanghai',
    region: '上海 Shanghai',
    postalCode: '200120',
    country: 'CN',
  },
  shipments: [
    {
      id: 'preview-shipment',
      carrier: 'SF Express',
      trackingNumber: 'SF1000000001',
      status: 'in_transit',
      events: [],
    },
  ],
  afterSales: [],
  promotions: [],
  riskFlags: [],
  timeline: [],
  notes: [],
  createdAt: '2026-11-20T08:10:00.000Z',
  updatedAt: '2026-11-21T10:00:00.000Z',
  version: 3,
};
