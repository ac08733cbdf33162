import { readFileSync } from "node:fs";
import { Agent } from "node:https";
import axios from "axios";

/**
 * The status of an HTTPS GET that trusts only our CA (no token: `/readyz` and `/healthz` are
 * open to anonymous callers), or undefined when nothing answered in time.
 */
export async function httpsStatus(
  url: string,
  caFile: string,
  timeoutMs = 3000,
): Promise<number | undefined> {
  try {
    const res = await axios.get(url, {
      httpsAgent: new Agent({ ca: readFileSync(caFile) }),
      timeout: timeoutMs,
      validateStatus: () => true,
      responseType: "text",
    });
    return res.status;
  } catch {
    return undefined;
  }
}
