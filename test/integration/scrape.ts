import axios from "axios";
import { Exposition, parsePrometheusText } from "../../platform/prometheusText";

/** One scrape of a JMX exporter agent's `/metrics` (a worker's or a REST proxy's). */
export async function scrape(url: string | undefined): Promise<Exposition> {
  if (url === undefined) {
    throw new Error(
      "endpoints.json has no metrics URLs: it was written by an older `up`; run `npm run platform -- up`.",
    );
  }
  const { data } = await axios.get<string>(url, { responseType: "text", timeout: 10_000 });
  return parsePrometheusText(data);
}

/** Polls `probe` every 500 ms until it returns a value; fails after `ms` with its last error. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
