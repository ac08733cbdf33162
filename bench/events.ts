/** The tracking event the benchmarks send: a small JSON business event like the demo's. */

/** One tracking event of a typical size (about 300 bytes of JSON). */
export function event(i: number): Record<string, unknown> {
  return {
    id: `bench-${i}`,
    type: i % 5 === 0 ? "purchase" : "page_view",
    anonymous_id: `anon-${(i * 7919) % 100_000}`,
    timestamp: new Date(1_796_000_000_000 + i * 37).toISOString(),
    context: { page: { path: `/products/${i % 400}`, referrer: "https://example.com/search" } },
    properties: { sku: `SKU-${i % 1000}`, price: (i % 9_000) / 100, currency: "EUR", qty: 1 },
  };
}
