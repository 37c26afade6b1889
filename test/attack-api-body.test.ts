import { expect, it } from "vitest";
import { MAX_BODY_BYTES, readJson } from "@/lib/api";

// A caller let in may still send an endless body: it is refused once past the cap,
// without being read (and held in memory) whole.

function endless() {
  let pulled = 0;
  const chunk = new TextEncoder().encode(`"${"x".repeat(65_534)}`);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += chunk.byteLength;
      if (pulled > 50 * MAX_BODY_BYTES) controller.close();
      else controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
  return { stream, pulled: () => pulled };
}

it("stops reading a body that runs past the cap and names the body", async () => {
  const { stream, pulled } = endless();
  const request = new Request("http://lethe.test/api/v1/privacy-tasks", { method: "POST", body: stream, duplex: "half" } as RequestInit);
  await expect(readJson(request)).rejects.toMatchObject({ code: "invalid_input", fieldErrors: { body: ["is too large"] } });
  expect(pulled()).toBeLessThan(2 * MAX_BODY_BYTES);
});

it("refuses a body whose declared length is over the cap before reading it", async () => {
  const { stream, pulled } = endless();
  const request = new Request("http://lethe.test/api/v1/privacy-tasks", {
    method: "POST", body: stream, duplex: "half", headers: { "content-length": String(MAX_BODY_BYTES + 1) },
  } as RequestInit);
  await expect(readJson(request)).rejects.toMatchObject({ code: "invalid_input" });
  expect(pulled()).toBeLessThan(MAX_BODY_BYTES);
});

it("still reads a body under the cap, in any script", async () => {
  const request = new Request("http://lethe.test/x", { method: "POST", body: JSON.stringify({ reason: "Grüße ✓" }) });
  expect(await readJson(request)).toEqual({ reason: "Grüße ✓" });
  await expect(readJson(new Request("http://lethe.test/x", { method: "POST", body: "{" }))).rejects.toMatchObject({ fieldErrors: { body: ["is not valid JSON"] } });
});
