import type { Order } from '../../src/shared/domain';

const base: Order = {
  id: 'ord_1001',
  platform: 'demo',
  platformOrderId: 'D-1001',
  displayNumber: 'DM-1001',
  customer: { id: 'cus_1', name: '张伟 Zhang Wei', phone: '+8613800138000', email: 'zhang.wei@example.com' },
  status: 'shipped',
  payment: {
    method: 'alipay',
    amount: { amount: 25900, currency: 'CNY' },
    status: 'paid',
    paidAt: '2025-03-01T08:05:00.000Z',
  },
  items: [
    {
      sku: 'TEA-001',
      title: 'Longjing green tea 250 g',
      category: 'food',
      qty: 2,
      unitPrice: { amount: 12000, currency: 'CNY' },
      returnable: false,
    },
  ],
  shippingFee: { amount: 1900, currency: 'CNY' },
  shippingAddress: {
    name: '张伟',
    phone: '+8613800138000',
    line1: '88 Nanjing Road',
    city: 'Shanghai',
    region: 'Shanghai',
    postalCode: '200001',
    country: 'CN',
  },
  shipments: [
    {
      id: 'shp_1',
      carrier: 'SF Express',
      trackingNumber: 'SF1234567890',
      status: 'in_transit',
      events: [
        {
          at: '2025-03-02T10:00:00.000Z',
          status: 'in_transit',
          location: 'Hangzhou hub',
          description: 'Departed hub',
        },
        { at: '2025-03-01T12:00:00.000Z', status: 'label_created', description: 'Label printed' },
      ],
    },
  ],
  afterSales: [],
  promotions: [],
  riskFlags: [],
  timeline: [{ at: '2025-03-01T08:00:00.000Z', status: 'pending_payment', actor: 'customer' }],
  notes: [],
  createdAt: '2025-03-01T08:00:00.000Z',
  updatedAt: '2025-03-02T10:00:00.000Z',
  version: 3,
};

/** Three orders on three platforms, newest last; one carries a risk flag. */
export const fixtureOrders: Order[] = [
  base,
  {
    ...base,
    id: 'ord_1002',
    platform: 'shopify',
    platformOrderId: '5550001',
    displayNumber: '#1002',
    customer: { id: 'cus_2', name: 'Emma Brown', phone: '+14155550123', email: 'emma@example.com' },
    status: 'pending_payment',
    payment: { method: 'card', amount: { amount: 4999, currency: 'USD' }, status: 'failed', paidAt: null },
    items: [
      {
        sku: 'MUG-RED',
        title: 'Red ceramic mug',
        category: 'home',
        qty: 1,
        unitPrice: { amount: 4999, currency: 'USD' },
        returnable: true,
      },
    ],
    shippingFee: { amount: 0, currency: 'USD' },
    shipments: [],
    riskFlags: [{ kind: 'payment_retry', at: '2025-03-03T09:00:00.000Z', note: '3 attempts' }],
    createdAt: '2025-03-03T08:00:00.000Z',
    updatedAt: '2025-03-03T09:00:00.000Z',
  },
  {
    ...base,
    id: 'ord_1003',
    platform: 'woocommerce',
    platformOrderId: '777',
    displayNumber: 'WC-777',
    customer: { id: 'cus_3', name: 'Zhang Min', phone: '+8613900139000', email: 'min@example.com' },
    status: 'refunding',
    payment: { method: 'paypal', amount: { amount: 8900, currency: 'EUR' }, status: 'paid', paidAt: null },
    createdAt: '2025-03-04T08:00:00.000Z',
    updatedAt: '2025-03-04T09:00:00.000Z',
  },
];
