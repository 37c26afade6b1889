import { TableWriter } from "./bulk";
import { DEMO_BLOCKED_PERSON, DEMO_ELIGIBLE_PERSON, DEMO_SYSTEM_PEOPLE, FIRST_GENERATED_PERSON_ID } from "./demo-people";
import { bounceBody, FOLLOW_UPS, GENERIC_REPLIES, type Mentioned, mention, NOTES, TOPICS } from "./helpdesk-text";
import type { PersonPlan, Plan } from "./plan-people";
import { DAY, HOUR, MINUTE, type Random } from "./random";
import { HELPDESK_ADDRESS, INTERNAL_ADDRESSES, type Period, SCHOOL_NAME } from "./reference";

type Direction = "incoming" | "outgoing" | "note";
type Via = "web" | "email" | "phone";
const LETHE_SYSTEM_ID = DEMO_SYSTEM_PEOPLE[1].id;
const MAILER_DAEMON_ID = DEMO_SYSTEM_PEOPLE[0].id;

/**
 * Tickets and their messages. Addresses are lower-case throughout (the schema's GIN
 * indexes rely on it); cc/bcc lists and bodies now and then name other people, which
 * is what makes erasing one person from a helpdesk hard.
 */
export class Helpdesk {
  readonly tickets = new TableWriter("tickets", {
    id: "int", number: "int", title: "text", customer_id: "int", owner_id: "int", organisation_id: "int",
    state: "enum:ticket_state", ip_address: "text", created_at: "timestamptz", closed_at: "timestamptz",
  });
  readonly messages = new TableWriter("messages", {
    ticket_id: "int", direction: "enum:message_direction", from_person_id: "int", sender: "text", to: "text[]", cc: "text[]",
    bcc: "text[]", subject: "text", body: "text", ip_address: "text", created_at: "timestamptz",
  }, 8_000);

  constructor(private readonly rng: Random, private readonly now: number, private readonly plan: Plan, private readonly periods: Period[]) {}

  get writers() {
    return [this.tickets, this.messages];
  }

  addTicketsOf(p: PersonPlan) {
    p.ticketTimes.forEach((createdAt, k) => (p.id === MAILER_DAEMON_ID ? this.addBounce(p, k) : this.addTicket(p, k, createdAt)));
  }

  private addTicket(p: PersonPlan, k: number, createdAt: number) {
    const { rng, now } = this;
    const ownerId = rng.chance(0.07) ? null : rng.pick(this.plan.ownerIds);
    const owner = ownerId ? this.person(ownerId) : null;
    // Clara's tickets come from the web form with her known addresses; Jonas's oldest
    // ticket is an e-mail that copies her in (see demo-people.ts).
    const isClara = p.id === DEMO_ELIGIBLE_PERSON.id;
    const mentionsClara = p.id === DEMO_BLOCKED_PERSON.id && k === 0;
    const drawn: Via = owner ? rng.weighted<Via>([["web", 55], ["email", 35], ["phone", 10]]) : rng.chance(0.6) ? "web" : "email";
    const via: Via = isClara ? "web" : mentionsClara ? "email" : drawn;
    const ticketIp = via === "web" ? (isClara ? p.ips[k] : rng.pick(p.ips)) : null;
    const topic = rng.pick(TOPICS);
    const fill = (text: string) => text.replaceAll("{instrument}", (p.instrument ?? "piano").toLowerCase()).replaceAll("{term}", this.termAt(createdAt));
    const title = fill(topic.title);
    const wanted = owner ? 2 + rng.int(0, 7) : rng.chance(0.3) ? 2 : 1;
    const ticketId = p.ticketIds[k];

    let direction: Direction = via === "phone" ? "note" : "incoming";
    let at = createdAt;
    let lastAt = createdAt;
    let last: Direction = direction;
    for (let i = 0; i < wanted; i++) {
      if (i > 0) {
        at += 5 * MINUTE + rng.exp(20 * HOUR);
        if (at > now - MINUTE) break;
        direction = !owner ? "incoming" : last === "incoming" ? (rng.chance(0.12) ? "note" : "outgoing") : last === "outgoing" ? "incoming" : "outgoing";
      }
      const subject = direction === "note" ? "" : i === 0 ? title : `Re: ${title}`;
      let cc: string[] = [];
      let bcc: string[] = [];
      let extra: string | null = null;
      if (mentionsClara && i === 0) {
        const clara = DEMO_ELIGIBLE_PERSON;
        cc = [clara.email];
        extra = `${clara.firstName} ${clara.lastName} (${clara.email}, ${clara.phone}) would like to join the chamber music group as well.`;
      } else {
        if (direction !== "note" && rng.chance(direction === "incoming" ? 0.12 : 0.08)) cc = this.otherEmails(p, 1);
        if (direction === "incoming" && rng.chance(0.03)) cc = [...cc, rng.pick(INTERNAL_ADDRESSES)];
        if (direction === "outgoing" && rng.chance(0.04)) bcc = rng.chance(0.5) ? [INTERNAL_ADDRESSES[1]] : this.otherEmails(p, 1);
        if (rng.chance(direction === "incoming" ? 0.08 : direction === "note" ? 0.06 : 0.03)) {
          const other = this.other(p);
          if (other) extra = mention(direction, other, rng.int(0, 2));
        }
      }
      const text = direction === "note" ? rng.pick(NOTES) : direction === "outgoing" ? fill(rng.chance(0.6) ? rng.pick(topic.reply) : rng.pick(GENERIC_REPLIES))
        : fill(i === 0 ? rng.pick(topic.ask) : rng.pick(FOLLOW_UPS));
      const body = this.body(direction, text, extra, p, owner);
      if (direction === "incoming") {
        const ip = i === 0 && ticketIp ? ticketIp : rng.pick(p.ips);
        this.messages.add([ticketId, direction, p.id, p.email, [HELPDESK_ADDRESS], cc, bcc, subject, body, ip, at]);
      } else if (direction === "outgoing") {
        this.messages.add([ticketId, direction, owner!.id, owner!.email, [p.email!], cc, bcc, subject, body, null, at]);
      } else {
        this.messages.add([ticketId, direction, rng.chance(0.05) ? LETHE_SYSTEM_ID : owner!.id, null, [], [], [], subject, body, null, at]);
      }
      last = direction;
      lastAt = at;
    }
    const stale = p.cohort !== "current" || now - lastAt > 30 * DAY;
    const state = stale ? (rng.chance(0.97) ? "closed" : "pending") : !owner ? "new" : last === "outgoing" ? (rng.chance(0.3) ? "closed" : "pending") : "open";
    const closedAt = state === "closed" ? Math.min(now, lastAt + HOUR + rng.exp(36 * HOUR)) : null;
    this.tickets.add([ticketId, 10_000 + ticketId, title, p.id, ownerId, p.organisationId, state, ticketIp, createdAt, closedAt]);
  }

  /** The mail system reports a dead address of some other person; staff make a note. */
  private addBounce(p: PersonPlan, k: number) {
    const { rng } = this;
    const id = p.ticketIds[k];
    const at = p.ticketTimes[k];
    const owner = this.person(rng.pick(this.plan.ownerIds));
    const victim = this.other(p, true);
    const email = victim?.email ?? "unknown@example.org";
    this.messages.add([id, "incoming", p.id, p.email, [HELPDESK_ADDRESS], [], [], "Undelivered Mail Returned to Sender", bounceBody(email), p.ips[0], at]);
    const note = victim ? `Address bounced – ${victim.name} has probably changed provider.${victim.phone ? ` Try ${victim.phone}.` : ""}` : "Address bounced.";
    this.messages.add([id, "note", owner.id, null, [], [], [], "", note, null, at + 2 * HOUR]);
    this.tickets.add([id, 10_000 + id, "Undelivered Mail Returned to Sender", p.id, owner.id, p.organisationId, "closed", null, at, at + 3 * HOUR]);
  }

  private body(direction: Direction, text: string, extra: string | null, p: PersonPlan, owner: PersonPlan | null): string {
    const lines = direction === "note" ? [text] : direction === "incoming" ? ["Hello,", "", text] : [`Dear ${p.firstName},`, "", capitalise(text)];
    if (extra) lines.push(direction === "note" ? extra : `\n${extra}`);
    if (direction === "incoming") lines.push("", "Best regards,", `${p.firstName} ${p.lastName}`, ...(p.phone && this.rng.chance(0.5) ? [p.phone] : []));
    if (direction === "outgoing") lines.push("", "Kind regards,", `${owner!.firstName} ${owner!.lastName}`, `${SCHOOL_NAME} · Helpdesk`);
    return lines.join("\n");
  }

  private person(id: number): PersonPlan {
    return this.plan.people[id - 1];
  }

  /** Someone else: a family member when there is one, otherwise anybody with an address. */
  private other(p: PersonPlan, needEmail = false): Mentioned | null {
    const { rng, plan } = this;
    const family = p.familyId ? plan.families[p.familyId - 1] : null;
    const relatives = family ? [...family.parentIds, ...family.childIds].filter((id) => id !== p.id) : [];
    for (let attempt = 0; attempt < 6; attempt++) {
      const id = relatives.length && attempt < 2 && rng.chance(0.6) ? rng.pick(relatives) : rng.int(FIRST_GENERATED_PERSON_ID, plan.people.length);
      const q = this.person(id);
      if (q.id !== p.id && q.kind !== "staff" && (q.email || (!needEmail && q.phone))) return { name: `${q.firstName} ${q.lastName}`, email: q.email, phone: q.phone };
    }
    return null;
  }

  private otherEmails(p: PersonPlan, count: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      const q = this.other(p, true);
      if (q?.email) out.push(q.email);
    }
    return out;
  }

  private termAt(at: number): string {
    if (at < this.periods[0].start) return this.periods[0].name;
    return (this.periods.find((t) => at >= t.start && at <= t.end + DAY) ?? this.periods[this.periods.length - 1]).name;
  }
}

function capitalise(text: string) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
