import { eq, sql } from "drizzle-orm";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { outboxEmails } from "@/db/schema";
import DeletionFinishedEmail from "@/emails/deletion-finished";
import { onPostgres, useTestDatabase } from "@/test/db";
import { deliverOutbox, enqueueEmail, OUTBOX_ONLY_PROVIDER, renderEmail } from "./outbox";
import type { EmailTransport } from "./resend";

const handle = await useTestDatabase();

let n = 0;
const mail = (to = "requester@lethe.test") => ({
  idempotencyKey: `test:${++n}:${Math.random()}`, template: "test", to, subject: `Test ${n}`, html: "<p>Hi</p>", text: "Hi",
});

const recording = (failFor: string[] = []) => {
  const sent: string[] = [];
  const transport: EmailTransport = {
    name: "fake",
    async send(m) {
      if (failFor.includes(m.to)) return { ok: false, retryable: true, error: "mailbox unavailable" };
      if (m.to.startsWith("invalid")) return { ok: false, retryable: false, error: "Resend answered 422 (invalid address)" };
      sent.push(m.idempotencyKey);
      return { ok: true, providerId: `fake-${sent.length}` };
    },
  };
  return { sent, transport };
};

async function clearOutbox() {
  await handle.db.execute(sql`delete from outbox_emails`);
}

describe("outbox", () => {
  it("queues an e-mail once per idempotency key", async () => {
    const m = mail();
    expect(await enqueueEmail(handle.db, m)).toMatchObject({ created: true });
    expect(await enqueueEmail(handle.db, { ...m, subject: "changed" })).toEqual({ id: null, created: false });
    const stored = await handle.db.select().from(outboxEmails).where(eq(outboxEmails.idempotencyKey, m.idempotencyKey));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: "queued", subject: m.subject });
  });

  it("without a transport, keeps the e-mails in the outbox and does not call them sent", async () => {
    await clearOutbox();
    await enqueueEmail(handle.db, mail());
    await enqueueEmail(handle.db, mail());
    expect(await deliverOutbox(handle.db, { transport: null })).toEqual({ transport: OUTBOX_ONLY_PROVIDER, sent: 0, kept: 2, failed: 0, retrying: 0 });
    expect(await deliverOutbox(handle.db, { transport: null })).toMatchObject({ kept: 0 });
    const stored = await handle.db.select().from(outboxEmails);
    expect(stored.map((m) => ({ status: m.status, sentAt: m.sentAt, providerId: m.providerId, attempts: m.attempts, html: m.html }))).toEqual(
      stored.map(() => ({ status: "kept", sentAt: null, providerId: null, attempts: 0, html: "<p>Hi</p>" })),
    );
  });

  it("a run whose lease ran out while it was still sending cannot overwrite what a later run recorded", async () => {
    await clearOutbox();
    const { id } = await enqueueEmail(handle.db, mail("slow@lethe.test"));
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    let started!: () => void;
    const sending = new Promise<void>((r) => { started = r; });
    // The first run's provider call hangs past the lease, then fails.
    const stuck: EmailTransport = {
      name: "stuck",
      async send() {
        started();
        await held;
        return { ok: false, retryable: true, error: "connection reset" };
      },
    };
    const first = deliverOutbox(handle.db, { transport: stuck });
    await sending;
    // Three minutes later the lease (two minutes) has run out: another run claims and sends it.
    const { sent, transport } = recording();
    expect(await deliverOutbox(handle.db, { transport, now: new Date(Date.now() + 180_000) })).toMatchObject({ sent: 1 });
    expect(sent).toHaveLength(1);
    release();
    expect(await first).toMatchObject({ sent: 0, retrying: 0, failed: 0 });
    const [stored] = await handle.db.select().from(outboxEmails).where(eq(outboxEmails.id, id!));
    expect(stored).toMatchObject({ status: "sent", attempts: 2, lastError: null, providerId: "fake-1" });
  });

  it("sends through a transport, retries a failure later and gives up after five attempts", async () => {
    await clearOutbox();
    await enqueueEmail(handle.db, mail("ok@lethe.test"));
    await enqueueEmail(handle.db, mail("broken@lethe.test"));
    const { sent, transport } = recording(["broken@lethe.test"]);
    expect(await deliverOutbox(handle.db, { transport })).toEqual({ transport: "fake", sent: 1, kept: 0, failed: 0, retrying: 1 });
    expect(sent).toHaveLength(1);
    // Not due again yet.
    expect(await deliverOutbox(handle.db, { transport })).toMatchObject({ sent: 0, retrying: 0 });
    let result;
    for (let i = 0; i < 4; i++) result = await deliverOutbox(handle.db, { transport, now: new Date(Date.now() + (i + 1) * 3_600_000) });
    expect(result).toMatchObject({ failed: 1 });
    const [broken] = await handle.db.select().from(outboxEmails).where(eq(outboxEmails.to, "broken@lethe.test"));
    expect(broken).toMatchObject({ status: "failed", attempts: 5, lastError: "mailbox unavailable" });
    expect(sent).toHaveLength(1);
  });

  it("does not send an e-mail whose body was purged while it was queued", async () => {
    await clearOutbox();
    const { id } = await enqueueEmail(handle.db, mail("purged@lethe.test"));
    await handle.db.execute(sql`update outbox_emails set html = null, text = null, body_purged_at = now() where id = ${id}`);
    const { sent, transport } = recording();
    expect(await deliverOutbox(handle.db, { transport })).toMatchObject({ sent: 0, failed: 1 });
    expect(sent).toHaveLength(0);
    const [stored] = await handle.db.select().from(outboxEmails);
    expect(stored.status).toBe("failed");
    expect(stored.lastError).toMatch(/purged/);
  });

  it("fails a permanently refused e-mail at once", async () => {
    await clearOutbox();
    await enqueueEmail(handle.db, mail("invalid@lethe.test"));
    expect(await deliverOutbox(handle.db, { transport: recording().transport })).toMatchObject({ failed: 1, retrying: 0 });
    const [stored] = await handle.db.select().from(outboxEmails);
    expect(stored).toMatchObject({ status: "failed", attempts: 1, lastError: "Resend answered 422 (invalid address)" });
  });

  it("renders the deletion-finished template to HTML and text", async () => {
    const { html, text } = await renderEmail(createElement(DeletionFinishedEmail, DeletionFinishedEmail.PreviewProps));
    expect(html).toContain("<html");
    expect(html).toContain("http://localhost:3000/privacy/tasks/12");
    expect(text).toContain("DELETION TASK #12 COMPLETED");
    expect(text).toContain("#10423, #10511, #10780");
    expect(text).toContain("A**a K*****n");
  });
});

// Concurrent deliveries only overlap on the server (PGlite runs one transaction at a time).
describe.runIf(onPostgres)("concurrent deliveries (PostgreSQL)", () => {
  it("send every e-mail once", async () => {
    await clearOutbox();
    for (let i = 0; i < 30; i++) await enqueueEmail(handle.db, mail());
    const { sent, transport } = recording();
    const slow: EmailTransport = { name: "slow", send: async (m) => { await new Promise((r) => setTimeout(r, 5)); return transport.send(m); } };
    const results = await Promise.all([1, 2, 3].map(() => deliverOutbox(handle.db, { transport: slow, limit: 12 })));
    const again = await deliverOutbox(handle.db, { transport: slow });
    expect(results.reduce((a, r) => a + r.sent, 0) + again.sent).toBe(30);
    expect(new Set(sent).size).toBe(30);
    expect(sent).toHaveLength(30);
  });
});
