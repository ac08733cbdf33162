import { request } from "node:http";
import { Socket, connect } from "node:net";
import { connect as tlsConnect } from "node:tls";

/** True when something accepts TCP connections on host:port. */
export function portOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket: Socket = connect({ host, port });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/**
 * Sends a Kafka ApiVersions v0 request and resolves true when the broker answers it with error
 * code 0. A real protocol answer, unlike an open port: the socket server is accepting requests.
 * v0 is used because every broker keeps it for client version negotiation. With `tls` the probe
 * speaks TLS and checks the broker's certificate against that CA (PEM); a SASL listener answers
 * ApiVersions before authentication, so no credentials are needed.
 */
export function kafkaApiVersionsOk(
  host: string,
  port: number,
  timeoutMs = 2000,
  tls?: { readonly ca: string },
): Promise<boolean> {
  return new Promise((resolve) => {
    const clientId = Buffer.from("tracking-platform-probe");
    const correlationId = 7;
    const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
    body.writeInt16BE(18, 0); // api key: ApiVersions
    body.writeInt16BE(0, 2); // api version 0
    body.writeInt32BE(correlationId, 4);
    body.writeInt16BE(clientId.length, 8);
    clientId.copy(body, 10);
    const frame = Buffer.alloc(4 + body.length);
    frame.writeInt32BE(body.length, 0);
    body.copy(frame, 4);

    let received = Buffer.alloc(0);
    const socket = tls ? tlsConnect({ host, port, ca: tls.ca }) : connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("error", () => done(false));
    socket.once(tls ? "secureConnect" : "connect", () => socket.write(frame));
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 10) return;
      done(received.readInt32BE(4) === correlationId && received.readInt16BE(8) === 0);
    });
  });
}

/** Status and body of a GET, or undefined when nothing answered in time. */
export function httpGet(
  url: string,
  timeoutMs = 3000,
): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { method: "GET", timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", () => resolve(undefined));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(undefined));
    req.end();
  });
}
