import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  readonly host: string;
  readonly method: string;
  readonly path: string;
  /** The X-Amz-Target or Action of a JSON or query protocol call, else undefined. */
  readonly action?: string;
  readonly accountHeader?: string;
}

export interface RecordingServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

function actionOf(request: IncomingMessage, body: string): string | undefined {
  const target = request.headers["x-amz-target"];
  if (typeof target === "string") return target.split(".").pop();
  return /(?:^|&)Action=([^&]+)/.exec(body)?.[1];
}

export interface Reply {
  readonly status: number;
  readonly body: string;
}

const DENIED: Reply = {
  status: 403,
  body: "<ErrorResponse><Error><Code>AccessDenied</Code><Message>recorded</Message></Error></ErrorResponse>",
};

/**
 * An HTTP server on 127.0.0.1 that records which host and path each request reached and answers
 * with `reply` (by default 403 with an AWS-style error, so the SDK gives up at once: no retries).
 */
export async function recordingServer(
  reply: (request: RecordedRequest) => Reply = () => DENIED,
): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      const recorded = {
        host: request.headers.host ?? "",
        method: request.method ?? "",
        path: request.url ?? "",
        action: actionOf(request, body),
        accountHeader: request.headers["x-amz-account-id"] as string | undefined,
      };
      requests.push(recorded);
      const { status, body: text } = reply(recorded);
      response.writeHead(status, { "content-type": "text/xml" });
      response.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    // Clients keep connections alive: close them too, or close() waits for them.
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
