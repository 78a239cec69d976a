import type { Money, OrderItem } from '../../shared/domain';

export interface CatalogProduct {
  sku: string;
  titleZh: string;
  titleEn: string;
  category: string;
  /** List price in whole yuan; USD and GBP prices are derived from it. */
  priceYuan: number;
}

/** Hygiene products and vouchers cannot be returned once sold. */
export const NON_RETURNABLE_CATEGORIES: ReadonlySet<string> = new Set([
  'underwear',
  'digital_voucher',
  'food',
]);
/** Delivered by e-mail: an order of only these ships nothing. */
export const DIGITAL_CATEGORY = 'digital_voucher';

// prettier-ignore
export const CATALOG: readonly CatalogProduct[] = [
  { sku: 'EL-PB-20K', titleZh: '充电宝 20000mAh 快充版', titleEn: 'Power Bank 20000mAh Fast Charge', category: 'electronics', priceYuan: 159 },
  { sku: 'EL-EB-PRO', titleZh: '降噪蓝牙耳机 Pro', titleEn: 'Noise-Cancelling Wireless Earbuds Pro', category: 'electronics', priceYuan: 599 },
  { sku: 'EL-KB-87', titleZh: '机械键盘 87键 茶轴', titleEn: 'Mechanical Keyboard 87-Key Brown Switch', category: 'electronics', priceYuan: 399 },
  { sku: 'EL-MS-WL', titleZh: '无线静音鼠标', titleEn: 'Silent Wireless Mouse', category: 'electronics', priceYuan: 89 },
  { sku: 'EL-SW-S3', titleZh: '智能手表 S3 运动版', titleEn: 'Smart Watch S3 Sport', category: 'electronics', priceYuan: 1299 },
  { sku: 'EL-CB-USBC', titleZh: 'USB-C 编织数据线 2米', titleEn: 'Braided USB-C Cable 2 m', category: 'electronics', priceYuan: 39 },
  { sku: 'EL-SPK-MINI', titleZh: '便携蓝牙音箱', titleEn: 'Portable Bluetooth Speaker', category: 'electronics', priceYuan: 249 },
  { sku: 'EL-CHG-65W', titleZh: '65W 氮化镓充电器', titleEn: '65 W GaN Charger', category: 'electronics', priceYuan: 149 },
  { sku: 'AP-TS-CTN', titleZh: '纯棉圆领T恤', titleEn: 'Cotton Crew-Neck T-Shirt', category: 'apparel', priceYuan: 79 },
  { sku: 'AP-JK-DOWN', titleZh: '轻薄羽绒服', titleEn: 'Lightweight Down Jacket', category: 'apparel', priceYuan: 499 },
  { sku: 'AP-JN-SLIM', titleZh: '修身牛仔裤', titleEn: 'Slim-Fit Jeans', category: 'apparel', priceYuan: 229 },
  { sku: 'AP-SN-RUN', titleZh: '缓震跑步鞋', titleEn: 'Cushioned Running Shoes', category: 'apparel', priceYuan: 459 },
  { sku: 'AP-HD-FLC', titleZh: '加绒连帽卫衣', titleEn: 'Fleece-Lined Hoodie', category: 'apparel', priceYuan: 189 },
  { sku: 'AP-SC-WOOL', titleZh: '美利奴羊毛围巾', titleEn: 'Merino Wool Scarf', category: 'apparel', priceYuan: 159 },
  { sku: 'HM-PIL-MEM', titleZh: '记忆棉枕头', titleEn: 'Memory Foam Pillow', category: 'home', priceYuan: 129 },
  { sku: 'HM-BED-SET', titleZh: '全棉床品四件套', titleEn: 'Cotton Bedding Set (4 pcs)', category: 'home', priceYuan: 399 },
  { sku: 'HM-KT-GLS', titleZh: '玻璃电热水壶', titleEn: 'Glass Electric Kettle', category: 'home', priceYuan: 149 },
  { sku: 'HM-AP-FRY', titleZh: '空气炸锅 5L', titleEn: 'Air Fryer 5 L', category: 'home', priceYuan: 369 },
  { sku: 'HM-TWL-SET', titleZh: '长绒棉毛巾三件套', titleEn: 'Long-Staple Cotton Towel Set', category: 'home', priceYuan: 99 },
  { sku: 'HM-LMP-DSK', titleZh: '护眼台灯', titleEn: 'LED Desk Lamp', category: 'home', priceYuan: 199 },
  { sku: 'BT-SUN-50', titleZh: '清爽防晒霜 SPF50', titleEn: 'Light Sunscreen SPF50', category: 'beauty', priceYuan: 129 },
  { sku: 'BT-SER-VC', titleZh: '维C精华液 30ml', titleEn: 'Vitamin C Serum 30 ml', category: 'beauty', priceYuan: 259 },
  { sku: 'BT-LIP-RED', titleZh: '丝绒哑光口红', titleEn: 'Velvet Matte Lipstick', category: 'beauty', priceYuan: 149 },
  { sku: 'BT-MSK-HYD', titleZh: '补水面膜 10片', titleEn: 'Hydrating Sheet Masks (10)', category: 'beauty', priceYuan: 89 },
  { sku: 'FD-TEA-LJ', titleZh: '明前龙井茶 250g', titleEn: 'Longjing Green Tea 250 g', category: 'food', priceYuan: 298 },
  { sku: 'FD-NUT-MIX', titleZh: '每日坚果 30袋', titleEn: 'Daily Mixed Nuts (30 packs)', category: 'food', priceYuan: 139 },
  { sku: 'FD-COF-BN', titleZh: '云南咖啡豆 500g', titleEn: 'Yunnan Coffee Beans 500 g', category: 'food', priceYuan: 119 },
  { sku: 'UW-BRF-3P', titleZh: '莫代尔内裤 3条装', titleEn: 'Modal Briefs (3-pack)', category: 'underwear', priceYuan: 99 },
  { sku: 'UW-SCK-5P', titleZh: '精梳棉袜 5双装', titleEn: 'Combed Cotton Socks (5 pairs)', category: 'underwear', priceYuan: 49 },
  { sku: 'UW-BRA-WF', titleZh: '无钢圈文胸', titleEn: 'Wire-Free Bra', category: 'underwear', priceYuan: 169 },
  { sku: 'DV-GC-100', titleZh: '电子礼品卡', titleEn: 'E-Gift Card', category: 'digital_voucher', priceYuan: 100 },
  { sku: 'DV-VIP-1Y', titleZh: '会员年卡', titleEn: 'Annual Membership', category: 'digital_voucher', priceYuan: 198 },
  { sku: 'SP-YM-6MM', titleZh: '加厚瑜伽垫 6mm', titleEn: 'Yoga Mat 6 mm', category: 'sports', priceYuan: 119 },
  { sku: 'SP-DB-10', titleZh: '可调节哑铃 10kg', titleEn: 'Adjustable Dumbbells 10 kg', category: 'sports', priceYuan: 329 },
  { sku: 'SP-BTL-1L', titleZh: '运动水壶 1L', titleEn: 'Sports Water Bottle 1 L', category: 'sports', priceYuan: 59 },
  { sku: 'SP-RKT-BD', titleZh: '碳素羽毛球拍', titleEn: 'Carbon Badminton Racket', category: 'sports', priceYuan: 269 },
  { sku: 'TY-BLK-500', titleZh: '积木城堡 500块', titleEn: 'Building Blocks Castle (500 pcs)', category: 'toys', priceYuan: 269 },
  { sku: 'TY-PLH-PND', titleZh: '熊猫毛绒公仔', titleEn: 'Panda Plush Toy', category: 'toys', priceYuan: 79 },
  { sku: 'BK-NOV-3B', titleZh: '三体 全三册', titleEn: 'The Three-Body Problem Trilogy', category: 'books', priceYuan: 168 },
  { sku: 'BK-CK-HOME', titleZh: '家常菜谱大全', titleEn: 'Home Cooking Cookbook', category: 'books', priceYuan: 58 },
];

/** The product's price in the customer's currency, ending in .99 outside China. */
export function priceIn(product: CatalogProduct, currency: string): Money {
  switch (currency) {
    case 'CNY':
      return { amount: product.priceYuan * 100, currency };
    case 'USD':
      return { amount: Math.max(1, Math.round(product.priceYuan / 7)) * 100 - 1, currency };
    case 'GBP':
      return { amount: Math.max(1, Math.round(product.priceYuan / 9)) * 100 - 1, currency };
    default:
      throw new Error(`No demo prices in ${currency}`);
  }
}

export function toOrderItem(
  product: CatalogProduct,
  qty: number,
  currency: string,
  chinese: boolean,
): OrderItem {
  return {
    sku: product.sku,
    title: chinese ? product.titleZh : product.titleEn,
    category: product.category,
    qty,
    unitPrice: priceIn(product, currency),
    returnable: !NON_RETURNABLE_CATEGORIES.has(product.category),
  };
}
