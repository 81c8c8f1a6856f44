/**
 * A reverse proxy on 127.0.0.1 in front of the emulator that keeps every request it forwards
 * (method, path, the headers IAM mapping needs, body) and the answer's status and body, so a proof
 * can say which AWS calls a command made. It forwards to the emulator only, never elsewhere.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ProxiedCall {
  readonly method: string;
  /** Path and query, as the client sent them. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** Bytes: some protocols (CloudWatch's CBOR) are binary. */
  readonly body: Buffer;
  readonly status: number;
  readonly response: string;
}

export interface RecordingProxy {
  /** `http://127.0.0.1:<port>`: the AWS_ENDPOINT_URL of the commands to record. */
  readonly url: string;
  /** The calls recorded since the last `take`, in the order they were answered; starts afresh. */
  take(): ProxiedCall[];
  close(): Promise<void>;
}

const collect = (stream: NodeJS.ReadableStream): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });

export async function recordingProxy(emulatorEndpoint: string): Promise<RecordingProxy> {
  const target = new URL(emulatorEndpoint);
  if (target.hostname !== "127.0.0.1") throw new Error(`the proxy forwards to 127.0.0.1 only, not ${target.hostname}`);
  let calls: ProxiedCall[] = [];
  const server: Server = createServer(async (incoming, outgoing) => {
    const body = await collect(incoming);
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      async (answer) => {
        const response = await collect(answer);
        calls.push({
          method: incoming.method ?? "",
          path: incoming.url ?? "",
          headers: incoming.headers,
          body,
          status: answer.statusCode ?? 0,
          response: response.toString("utf8"),
        });
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        outgoing.end(response);
      },
    );
    upstream.on("error", (error) => {
      outgoing.writeHead(502, { "content-type": "text/plain" });
      outgoing.end(`recording proxy: ${error.message}`);
    });
    upstream.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    take: () => {
      const taken = calls;
      calls = [];
      return taken;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
