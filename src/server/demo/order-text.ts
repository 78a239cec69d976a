import type { CustomerLocale } from './customers';

/** Human text the demo writes into timelines, flags and cases, in the customer's language. */
export interface OrderText {
  placed: string;
  paid(method: string): string;
  paymentDeclined: string;
  paidOnRetry: string;
  closedUnpaid: string;
  unpaidTooLong: string;
  fraudSuspect: string;
  fraudCancelled: string;
  cancelledByCustomer: string;
  addressChanged(minutes: number): string;
  voucherSent: string;
  fulfilling: string;
  shipped(carrier: string, trackingNumber: string): string;
  delivered: string;
  autoCompleted: string;
  logisticsStalled: string;
  refundApproved(kind: string): string;
  refundedInFull: string;
  refundedPartly(amount: string): string;
  caseReasons: Record<'return' | 'exchange' | 'refund', readonly string[]>;
  agentNotes: readonly string[];
}

const ZH: OrderText = {
  placed: '客户下单',
  paid: (method) => `已支付（${method}）`,
  paymentDeclined: '首次支付被银行拒绝',
  paidOnRetry: '第二次支付成功',
  closedUnpaid: '超时未支付，订单已自动关闭',
  unpaidTooLong: '下单超过12小时仍未支付',
  fraudSuspect: '多个账号使用同一收货地址，且支付卡为境外发行',
  fraudCancelled: '风控审核未通过，订单已取消并原路退款',
  cancelledByCustomer: '客户发货前取消，已原路退款',
  addressChanged: (minutes) => `支付后${minutes}分钟修改了收货地址`,
  voucherSent: '电子券码已通过邮件发送',
  fulfilling: '仓库已接单，正在拣货',
  shipped: (carrier, trackingNumber) => `已发货：${carrier} ${trackingNumber}`,
  delivered: '快件已签收',
  autoCompleted: '签收7天后自动确认收货',
  logisticsStalled: '派送异常后48小时无物流更新',
  refundApproved: (kind) => (kind === 'return' ? '退货申请已通过，等待退款' : '退款申请已通过'),
  refundedInFull: '已全额退款',
  refundedPartly: (amount) => `已部分退款 ${amount}`,
  caseReasons: {
    return: ['尺码不合适', '不喜欢颜色', '与描述不符', '七天无理由退货'],
    exchange: ['尺码偏小，换大一码', '颜色发错', '商品有瑕疵，换新'],
    refund: ['商品破损', '少发漏发', '降价补差价', '物流超时'],
  },
  agentNotes: [
    '客户来电询问发货时间，已告知48小时内发出',
    '客户要求工作日派送',
    '客户反映外包装破损，已请客户拍照留证',
    '客户要求开具电子发票',
  ],
};

const EN: OrderText = {
  placed: 'Order placed',
  paid: (method) => `Paid (${method})`,
  paymentDeclined: 'First payment attempt declined by the bank',
  paidOnRetry: 'Paid on the second attempt',
  closedUnpaid: 'Closed automatically: not paid within 24 h',
  unpaidTooLong: 'Still unpaid 12 h after checkout',
  fraudSuspect: 'Billing and shipping countries differ; card issued abroad',
  fraudCancelled: 'Cancelled after fraud review; payment refunded',
  cancelledByCustomer: 'Cancelled by the customer before shipping; refunded',
  addressChanged: (minutes) => `Shipping address changed ${minutes} min after payment`,
  voucherSent: 'Voucher code sent by e-mail',
  fulfilling: 'Picking at the warehouse',
  shipped: (carrier, trackingNumber) => `Shipped with ${carrier}, ${trackingNumber}`,
  delivered: 'Delivered',
  autoCompleted: 'Completed automatically 7 days after delivery',
  logisticsStalled: 'No carrier update for 48 h after a delivery exception',
  refundApproved: (kind) => (kind === 'return' ? 'Return approved, refund on receipt' : 'Refund approved'),
  refundedInFull: 'Refunded in full',
  refundedPartly: (amount) => `Partly refunded: ${amount}`,
  caseReasons: {
    return: ['Wrong size', 'Changed my mind', 'Not as described', 'Colour differs from the photos'],
    exchange: ['Too small, need one size up', 'Wrong colour sent', 'Faulty item, replacement wanted'],
    refund: [
      'Arrived damaged',
      'Item missing from the parcel',
      'Price dropped after purchase',
      'Delivery too late',
    ],
  },
  agentNotes: [
    'Customer called about delivery time; told it ships within 48 h',
    'Customer asked for weekday delivery only',
    'Customer reports a damaged outer box; asked for photos',
    'Customer asked for a VAT invoice',
  ],
};

export function orderText(locale: CustomerLocale): OrderText {
  return locale === 'zh-CN' ? ZH : EN;
}

const CURRENCY_SYMBOLS: Record<string, string> = { CNY: '¥', USD: '$', GBP: '£' };

export function formatMoney(amount: number, currency: string): string {
  return `${CURRENCY_SYMBOLS[currency] ?? `${currency} `}${(amount / 100).toFixed(2)}`;
}
