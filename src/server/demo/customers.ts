import type { Address, CustomerRef } from '../../shared/domain';
import type { SeededRandom } from './random';

export type CustomerLocale = 'zh-CN' | 'en-US' | 'en-GB';

export interface DemoCustomer extends CustomerRef {
  locale: CustomerLocale;
  currency: 'CNY' | 'USD' | 'GBP';
  address: Address;
}

/** [hanzi, pinyin]; the compound surnames make 2-character surname searches meaningful. */
// prettier-ignore
const CHINESE_SURNAMES: readonly (readonly [readonly [string, string], number])[] = [
  [['王', 'wang'], 10], [['李', 'li'], 10], [['张', 'zhang'], 9], [['刘', 'liu'], 7], [['陈', 'chen'], 7],
  [['杨', 'yang'], 5], [['黄', 'huang'], 4], [['赵', 'zhao'], 4], [['吴', 'wu'], 3], [['周', 'zhou'], 3],
  [['徐', 'xu'], 2], [['孙', 'sun'], 2], [['马', 'ma'], 2], [['朱', 'zhu'], 2], [['胡', 'hu'], 2],
  [['郭', 'guo'], 2], [['何', 'he'], 2], [['高', 'gao'], 2], [['林', 'lin'], 2], [['罗', 'luo'], 2],
  [['郑', 'zheng'], 1], [['梁', 'liang'], 1], [['谢', 'xie'], 1], [['宋', 'song'], 1], [['唐', 'tang'], 1],
  [['许', 'xu'], 1], [['韩', 'han'], 1], [['冯', 'feng'], 1], [['邓', 'deng'], 1], [['曹', 'cao'], 1],
  [['欧阳', 'ouyang'], 0.6], [['司马', 'sima'], 0.3], [['上官', 'shangguan'], 0.3], [['诸葛', 'zhuge'], 0.2],
];

// prettier-ignore
const CHINESE_GIVEN_CHARS: readonly (readonly [string, string])[] = [
  ['伟', 'wei'], ['芳', 'fang'], ['娜', 'na'], ['敏', 'min'], ['静', 'jing'], ['丽', 'li'], ['强', 'qiang'],
  ['磊', 'lei'], ['军', 'jun'], ['洋', 'yang'], ['勇', 'yong'], ['艳', 'yan'], ['杰', 'jie'], ['涛', 'tao'],
  ['明', 'ming'], ['超', 'chao'], ['秀', 'xiu'], ['霞', 'xia'], ['平', 'ping'], ['刚', 'gang'], ['英', 'ying'],
  ['华', 'hua'], ['玉', 'yu'], ['婷', 'ting'], ['雪', 'xue'], ['琳', 'lin'], ['浩', 'hao'], ['宇', 'yu'],
  ['欣', 'xin'], ['怡', 'yi'], ['晨', 'chen'], ['博', 'bo'], ['思', 'si'], ['雨', 'yu'], ['佳', 'jia'],
  ['梓', 'zi'], ['子', 'zi'], ['涵', 'han'], ['轩', 'xuan'], ['嘉', 'jia'],
];

// prettier-ignore
const FIRST_NAMES = [
  'Emily', 'James', 'Olivia', 'Liam', 'Sophia', 'Noah', 'Ava', 'Oliver', 'Isabella', 'Elijah', 'Mia',
  'Lucas', 'Charlotte', 'Mason', 'Amelia', 'Ethan', 'Harper', 'Logan', 'Evelyn', 'Jack', 'Grace',
  'Henry', 'Chloe', 'Samuel', 'Ella', 'Daniel', 'Lily', 'Thomas', 'Hannah', 'George', 'Priya', 'Mohammed',
];
// prettier-ignore
const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Wilson', 'Taylor',
  'Anderson', 'Thomas', 'Moore', 'Martin', 'Jackson', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis',
  'Walker', 'Hall', 'Young', 'King', 'Wright', 'Evans', 'Roberts', 'Hughes', 'Patel', 'Khan', 'Nguyen',
];

/** Reserved example domains: demo addresses must never reach a real mailbox. */
const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'];

interface ChineseCity {
  city: string;
  region: string;
  postalCode: string;
  districts: readonly string[];
  streets: readonly string[];
}
// prettier-ignore
const CHINESE_CITIES: readonly ChineseCity[] = [
  { city: '上海市', region: '上海', postalCode: '200120', districts: ['浦东新区', '徐汇区', '静安区'], streets: ['张江路', '淮海中路', '南京西路'] },
  { city: '北京市', region: '北京', postalCode: '100020', districts: ['朝阳区', '海淀区', '东城区'], streets: ['建国路', '中关村大街', '东直门内大街'] },
  { city: '深圳市', region: '广东省', postalCode: '518057', districts: ['南山区', '福田区'], streets: ['科技园南路', '深南大道'] },
  { city: '广州市', region: '广东省', postalCode: '510620', districts: ['天河区', '越秀区'], streets: ['天河路', '环市东路'] },
  { city: '杭州市', region: '浙江省', postalCode: '310012', districts: ['西湖区', '余杭区'], streets: ['文三路', '文一西路'] },
  { city: '成都市', region: '四川省', postalCode: '610041', districts: ['武侯区', '高新区'], streets: ['天府大道', '人民南路'] },
  { city: '南京市', region: '江苏省', postalCode: '210008', districts: ['鼓楼区', '玄武区'], streets: ['中山路', '北京东路'] },
  { city: '武汉市', region: '湖北省', postalCode: '430074', districts: ['洪山区', '武昌区'], streets: ['珞喻路', '中北路'] },
];

interface UsCity {
  city: string;
  region: string;
  zipCodes: readonly string[];
  areaCodes: readonly string[];
}
interface UkCity {
  city: string;
  region: string;
  /** Postcode districts (the outward part, e.g. "SW11"). */
  postcodeDistricts: readonly string[];
}

// prettier-ignore
const US_CITIES: readonly UsCity[] = [
  { city: 'New York', region: 'NY', zipCodes: ['10001', '10013', '10025'], areaCodes: ['212', '646'] },
  { city: 'San Francisco', region: 'CA', zipCodes: ['94103', '94110'], areaCodes: ['415', '628'] },
  { city: 'Chicago', region: 'IL', zipCodes: ['60601', '60614'], areaCodes: ['312', '773'] },
  { city: 'Seattle', region: 'WA', zipCodes: ['98101', '98115'], areaCodes: ['206'] },
  { city: 'Boston', region: 'MA', zipCodes: ['02110', '02134'], areaCodes: ['617'] },
  { city: 'Austin', region: 'TX', zipCodes: ['78701', '78745'], areaCodes: ['512', '737'] },
  { city: 'Denver', region: 'CO', zipCodes: ['80202', '80218'], areaCodes: ['303', '720'] },
  { city: 'Atlanta', region: 'GA', zipCodes: ['30303', '30309'], areaCodes: ['404', '470'] },
];
// prettier-ignore
const UK_CITIES: readonly UkCity[] = [
  { city: 'London', region: 'Greater London', postcodeDistricts: ['E1', 'N1', 'SE1', 'SW11', 'W2', 'NW3'] },
  { city: 'Manchester', region: 'Greater Manchester', postcodeDistricts: ['M1', 'M4', 'M20'] },
  { city: 'Birmingham', region: 'West Midlands', postcodeDistricts: ['B1', 'B15'] },
  { city: 'Edinburgh', region: 'City of Edinburgh', postcodeDistricts: ['EH1', 'EH3'] },
  { city: 'Bristol', region: 'Bristol', postcodeDistricts: ['BS1', 'BS8'] },
  { city: 'Leeds', region: 'West Yorkshire', postcodeDistricts: ['LS1', 'LS6'] },
];
// Postcode inward letters never use C, I, K, M, O or V.
const UK_INWARD_LETTERS = [...'ABDEFGHJLNPQRSTUWXYZ'];

/** How an English-speaking market writes phones and addresses. */
interface EnglishMarket<City extends { city: string; region: string }> {
  locale: 'en-US' | 'en-GB';
  currency: 'USD' | 'GBP';
  country: 'US' | 'GB';
  cities: readonly City[];
  streets: readonly string[];
  phone(random: SeededRandom, city: City): string;
  postalCode(random: SeededRandom, city: City): string;
  line2(random: SeededRandom): string;
}

const US_MARKET: EnglishMarket<UsCity> = {
  locale: 'en-US',
  currency: 'USD',
  country: 'US',
  cities: US_CITIES,
  streets: ['Main St', 'Oak Ave', 'Maple Dr', 'Pine St', 'Cedar Ln', 'Elm St', 'Park Ave', 'Lake Shore Dr'],
  phone: (random, city) => `+1${random.pick(city.areaCodes)}${random.int(2, 9)}${random.digits(6)}`,
  postalCode: (random, city) => random.pick(city.zipCodes),
  line2: (random) => `Apt ${random.int(1, 20)}${random.pick(['A', 'B', 'C'])}`,
};

const UK_MARKET: EnglishMarket<UkCity> = {
  locale: 'en-GB',
  currency: 'GBP',
  country: 'GB',
  cities: UK_CITIES,
  streets: ['High Street', 'Station Road', 'Church Lane', 'Victoria Road', "Queen's Road", 'Mill Lane'],
  // UK mobiles: +44 7xxx xxxxxx.
  phone: (random) => `+447${random.pick(['4', '5', '7', '8', '9'])}${random.digits(8)}`,
  postalCode: (random, city) =>
    `${random.pick(city.postcodeDistricts)} ${random.int(1, 9)}${random.pick(UK_INWARD_LETTERS)}${random.pick(UK_INWARD_LETTERS)}`,
  line2: (random) => `Flat ${random.int(1, 12)}`,
};

/**
 * Makes `count` customers, about half Chinese (CNY, +86 mobiles) and half English-speaking
 * (USD with +1 numbers or GBP with +44 mobiles). Phones are unique: they identify callers.
 */
export function generateCustomers(random: SeededRandom, count: number): DemoCustomer[] {
  const usedPhones = new Set<string>();
  const uniquePhone = (make: () => string): string => {
    let phone = make();
    while (usedPhones.has(phone)) phone = make();
    usedPhones.add(phone);
    return phone;
  };

  const customers: DemoCustomer[] = [];
  for (let index = 0; index < count; index += 1) {
    const id = `cus_${String(index + 1).padStart(7, '0')}`;
    const roll = random.next();
    if (roll < 0.5) customers.push(chineseCustomer(random, id, uniquePhone));
    else if (roll < 0.8) customers.push(englishCustomer(random, id, US_MARKET, uniquePhone));
    else customers.push(englishCustomer(random, id, UK_MARKET, uniquePhone));
  }
  return customers;
}

function chineseCustomer(
  random: SeededRandom,
  id: string,
  uniquePhone: (make: () => string) => string,
): DemoCustomer {
  const [surname, surnamePinyin] = random.weighted(CHINESE_SURNAMES);
  const givenLength = random.chance(0.7) ? 2 : 1;
  const given = Array.from({ length: givenLength }, () => random.pick(CHINESE_GIVEN_CHARS));
  const name = surname + given.map(([hanzi]) => hanzi).join('');
  const phone = uniquePhone(() => `+861${random.pick(['3', '5', '7', '8', '9'])}${random.digits(9)}`);
  const email = `${given.map(([, pinyin]) => pinyin).join('')}.${surnamePinyin}${random.int(1, 999)}@${random.pick(EMAIL_DOMAINS)}`;
  const place = random.pick(CHINESE_CITIES);
  return {
    id,
    name,
    phone,
    email,
    locale: 'zh-CN',
    currency: 'CNY',
    address: {
      name,
      phone,
      line1: `${random.pick(place.districts)}${random.pick(place.streets)}${random.int(1, 999)}号`,
      line2: `${random.int(1, 30)}栋${random.int(1, 32)}0${random.int(1, 4)}室`,
      city: place.city,
      region: place.region,
      postalCode: place.postalCode,
      country: 'CN',
    },
  };
}

function englishCustomer<City extends { city: string; region: string }>(
  random: SeededRandom,
  id: string,
  market: EnglishMarket<City>,
  uniquePhone: (make: () => string) => string,
): DemoCustomer {
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  const name = `${first} ${last}`;
  const email = `${first}.${last}${random.int(1, 99)}@${random.pick(EMAIL_DOMAINS)}`.toLowerCase();
  const place = random.pick(market.cities);
  const phone = uniquePhone(() => market.phone(random, place));
  const line1 = `${random.int(1, 240)} ${random.pick(market.streets)}`;
  const line2 = random.chance(0.3) ? market.line2(random) : undefined;
  return {
    id,
    name,
    phone,
    email,
    locale: market.locale,
    currency: market.currency,
    address: {
      name,
      phone,
      line1,
      ...(line2 === undefined ? {} : { line2 }),
      city: place.city,
      region: place.region,
      postalCode: market.postalCode(random, place),
      country: market.country,
    },
  };
}
