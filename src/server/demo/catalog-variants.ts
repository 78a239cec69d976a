import { CATALOG, type CatalogProduct } from './catalog';

/** One option of a demo product (a size, a colour): its SKU is the product's plus the code. */
export interface VariantOption {
  code: string;
  zh: string;
  en: string;
}

const sizes = (codes: readonly string[]): VariantOption[] =>
  codes.map((code) => ({ code, zh: code, en: code }));
const colours: VariantOption[] = [
  { code: 'BLK', zh: '黑色', en: 'Black' },
  { code: 'WHT', zh: '白色', en: 'White' },
  { code: 'GRY', zh: '灰色', en: 'Grey' },
];

/**
 * The demo catalogue's variants: apparel comes in sizes, shoes in shoe sizes, devices and
 * some home and sports goods in colours. The SKU sold in demo orders is the product's default
 * variant; the others are `<product sku>-<code>` at the same price.
 */
const OPTIONS_BY_SKU: Readonly<Record<string, readonly VariantOption[]>> = {
  'AP-SN-RUN': sizes(['38', '39', '40', '41', '42', '43', '44']),
  'UW-SCK-5P': [],
  'UW-BRF-3P': [],
  'UW-BRA-WF': [],
};
const OPTIONS_BY_CATEGORY: Readonly<Record<string, readonly VariantOption[]>> = {
  apparel: sizes(['S', 'M', 'L', 'XL', 'XXL']),
  electronics: colours,
  sports: colours.slice(0, 2),
};

export function variantOptions(product: CatalogProduct): readonly VariantOption[] {
  return OPTIONS_BY_SKU[product.sku] ?? OPTIONS_BY_CATEGORY[product.category] ?? [];
}

/** The product a SKU (default or variant) belongs to, and its option if it is a variant. */
export function productOf(sku: string): { product: CatalogProduct; option: VariantOption | null } | null {
  for (const product of CATALOG) {
    if (product.sku === sku) return { product, option: null };
    if (!sku.startsWith(`${product.sku}-`)) continue;
    const option = variantOptions(product).find((candidate) => `${product.sku}-${candidate.code}` === sku);
    if (option) return { product, option };
  }
  return null;
}
