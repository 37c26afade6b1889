import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

// A webhook receiver for the tests: a real HTTP server on 127.0.0.1 that keeps every
// request's headers and raw body, and answers each with the next planned answer (200
// once the plan is used up). Tests reach it with WEBHOOKS_ALLOW_PRIVATE_URLS on.

export type Received = { method: string; path: string; headers: IncomingHttpHeaders; body: string };
export type Answer = { status: number; headers?: Record<string, string>; delayMs?: number };

export type Receiver = { url: string; received: Received[]; plan: Answer[]; close: () => Promise<void> };

export async function startReceiver(path = "/hooks/lethe"): Promise<Receiver> {
  const received: Received[] = [];
  const plan: Answer[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ method: request.method ?? "", path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      const answer = plan.shift() ?? { status: 200 };
      const reply = () => {
        response.writeHead(answer.status, { "Content-Type": "text/plain", ...answer.headers });
        response.end("a receiver's answer that Lethe does not keep");
      };
      if (answer.delayMs) setTimeout(reply, answer.delayMs);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    plan,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
