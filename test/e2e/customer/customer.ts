import type { BrowserContext, Page } from '@playwright/test';
import type { KamailioProcess } from '../kamailio/kamailio-process';
import type { CustomerSite } from './customer-site';
import type { MediaStats } from './media-stats';

/** The browser-side API of browser/customer-phone.ts, as seen from page.evaluate. */
interface CustomerPhoneApi {
  register(options: {
    wsUrl: string;
    domain: string;
    user: string;
    displayName: string;
    telephoneEvent?: boolean;
  }): Promise<void>;
  unregister(): Promise<void>;
  state(): string;
  call(target: string, headers: Record<string, string>): Promise<void>;
  waitEstablished(timeoutMs: number): Promise<void>;
  answer(): Promise<void>;
  hangUp(): Promise<void>;
  sendDtmf(tones: string): boolean;
  stats(): Promise<MediaStats | null>;
  heardDtmf: string;
  infoDtmf: string;
  log: string[];
  incomingHeaders: Record<string, string>;
  incomingFrom: string;
}

type Methods = {
  [K in keyof CustomerPhoneApi]: CustomerPhoneApi[K] extends (...args: never[]) => unknown ? K : never;
}[keyof CustomerPhoneApi];
type Fields = Exclude<keyof CustomerPhoneApi, Methods>;
type Call<M extends Methods> = CustomerPhoneApi[M] extends (...args: infer A) => infer R
  ? { args: A; result: Awaited<R> }
  : never;

/** A customer: one page with its own SIP phone, registered as `user` on the test Kamailio. */
export class Customer {
  private constructor(
    readonly page: Page,
    readonly user: string,
  ) {}

  static async open(
    context: BrowserContext,
    site: CustomerSite,
    /** The SIP server: the test Kamailio, or the gateway's demo registrar. */
    kamailio: Pick<KamailioProcess, 'wsUrl' | 'domain'>,
    user: string,
    displayName = `Customer ${user}`,
    options: { telephoneEvent?: boolean } = {},
  ): Promise<Customer> {
    const page = await context.newPage();
    await page.goto(site.url);
    const customer = new Customer(page, user);
    await customer.invoke('register', {
      wsUrl: kamailio.wsUrl,
      domain: kamailio.domain,
      user,
      displayName,
      ...options,
    });
    return customer;
  }

  /** Calls a method of the page's phone. Functions sent to the page cannot close over anything. */
  private invoke<M extends Methods>(method: M, ...args: Call<M>['args']): Promise<Call<M>['result']> {
    return this.page.evaluate(
      ([name, values]) => {
        const phone = (globalThis as unknown as { customer: Record<string, (...a: unknown[]) => unknown> })
          .customer;
        return phone[name]!(...values);
      },
      [method, args] as [string, unknown[]],
    ) as Promise<Call<M>['result']>;
  }

  private read<F extends Fields>(field: F): Promise<CustomerPhoneApi[F]> {
    return this.page.evaluate(
      (name) => (globalThis as unknown as { customer: Record<string, unknown> }).customer[name],
      field as string,
    ) as Promise<CustomerPhoneApi[F]>;
  }

  /** Calls `target` and resolves once the INVITE is sent (not when answered). */
  call(target: string, headers: Record<string, string> = {}): Promise<void> {
    return this.invoke('call', target, headers);
  }

  waitEstablished(timeoutMs = 10_000): Promise<void> {
    return this.invoke('waitEstablished', timeoutMs);
  }

  state(): Promise<string> {
    return this.invoke('state');
  }

  answer(): Promise<void> {
    return this.invoke('answer');
  }

  hangUp(): Promise<void> {
    return this.invoke('hangUp');
  }

  sendDtmf(tones: string): Promise<boolean> {
    return this.invoke('sendDtmf', tones);
  }

  stats(): Promise<MediaStats | null> {
    return this.invoke('stats');
  }

  heardDtmf(): Promise<string> {
    return this.read('heardDtmf');
  }

  infoDtmf(): Promise<string> {
    return this.read('infoDtmf');
  }

  log(): Promise<string[]> {
    return this.read('log');
  }

  async incoming(): Promise<{ from: string; headers: Record<string, string> }> {
    return { from: await this.read('incomingFrom'), headers: await this.read('incomingHeaders') };
  }

  async close(): Promise<void> {
    await this.invoke('unregister').catch(() => undefined);
    await this.page.close();
  }
}
