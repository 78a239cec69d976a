/**
 * A small shop page for the snippet's benchmark and screenshots: an order, a contact and
 * address form tagged with the field classes, a card form tagged payment, and the snippet.
 */
export function shopPage(options: { lang?: string; extraBody?: string; script?: string } = {}): string {
  const lang = options.lang ? ` data-lang="${options.lang}"` : '';
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Demo shop · order 1042</title>
  <style>
    body { font: 15px/1.5 Georgia, serif; margin: 0; background: #faf7f2; color: #2b2b2b; }
    header { background: #3d2c1e; color: #fff; padding: 14px 32px; font-size: 20px; }
    main { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; padding: 24px 32px; max-width: 1100px; }
    section { background: #fff; border: 1px solid #e4ddd2; border-radius: 6px; padding: 16px 20px; }
    h2 { margin: 0 0 12px; font-size: 18px; }
    label { display: block; margin: 8px 0 2px; font-size: 13px; color: #6b5d4f; }
    input, textarea, select { width: 100%; padding: 7px 8px; font: inherit; border: 1px solid #cfc5b6; border-radius: 4px; }
    button { background: #b3541e; color: #fff; border: 0; padding: 8px 16px; border-radius: 4px; font: inherit; margin-top: 12px; }
    /* A shop's careless global rules: the snippet must not be touched by them. */
    div { letter-spacing: .02em; } * { text-transform: none; }
  </style>
</head>
<body>
  <header>Demo shop</header>
  <main>
    <section>
      <h2>Order 1042</h2>
      <p>Status: <strong id="status">Shipped</strong> · 2 items · ¥ 389.00</p>
      <p data-agent-desk="contact">Deliver to: Li Wei, +86 138 1234 5678</p>
      <p data-agent-desk="address">Room 1203, 88 Century Avenue, 200120</p>
      <p data-agent-desk="payment">Paid with Visa •••• 4242</p>
    </section>
    <section>
      <h2>Change the delivery address</h2>
      <label for="name">Name</label><input id="name" autocomplete="name" data-agent-desk="contact" />
      <label for="phone">Phone</label><input id="phone" type="tel" data-agent-desk="contact" />
      <label for="street">Street</label><input id="street" data-agent-desk="address" />
      <label for="city">City</label><input id="city" data-agent-desk="public" />
      <button id="save-address" type="button">Save address</button>
    </section>
    <section>
      <h2>After-sales request</h2>
      <label for="reason">Reason</label>
      <select id="reason"><option value="">Choose…</option><option value="damaged">Damaged</option><option value="late">Late</option></select>
      <label for="details">Details</label><textarea id="details" rows="3"></textarea>
      <button id="send-request" type="button">Send</button>
    </section>
    <section data-agent-desk="payment">
      <h2>Retry the payment</h2>
      <label for="card">Card number</label><input id="card" autocomplete="cc-number" />
      <label for="cvc">CVC</label><input id="cvc" autocomplete="cc-csc" />
      <button type="button">Pay ¥ 389.00</button>
    </section>
  </main>
  ${options.extraBody ?? ''}
  ${options.script ? `<script>${options.script}</script>` : ''}
  <script src="/cobrowse/agent-desk-cobrowse.js"${lang} async></script>
</body>
</html>`;
}
