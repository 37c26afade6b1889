import { TableWriter } from "./bulk";
import { DEMO_BLOCKED_PERSON } from "./demo-people";
import type { Family, PersonPlan } from "./plan-people";
import { DAY, isoDate, type Random } from "./random";
import { BOOKS, type Course, INSTRUMENTS, type Period } from "./reference";

// Enrolments, waiting lists, loans, invoices and family links. Only current people hold
// anything open; people who left keep a closed history that ends on their leaving date,
// except the `blocked` ones, who keep exactly the one thing named by their blocker.

export class SchoolRecords {
  readonly enrolments = new TableWriter("enrolments", {
    person_id: "int", course_id: "int", teaching_period_id: "int", active: "bool", enrolled_at: "timestamptz",
  });
  readonly waitingList = new TableWriter("waiting_list_entries", { person_id: "int", course_id: "int", active: "bool", created_at: "timestamptz" });
  readonly loans = new TableWriter("loans", {
    person_id: "int", kind: "enum:loan_kind", item: "text", lent_at: "timestamptz", due_at: "timestamptz", returned_at: "timestamptz",
  });
  readonly invoices = new TableWriter("invoices", {
    person_id: "int", number: "text", amount: "numeric", amount_paid: "numeric", issued_on: "date", due_on: "date",
  });
  readonly familyLinks = new TableWriter("family_links", { person_id: "int", related_person_id: "int", relation: "text", active: "bool" });

  private invoiceSeq = 0;
  private readonly hireSeq = new Map<string, number>();
  private readonly lessons = new Map<string, Course[]>();
  private readonly ensembles: Course[];
  private readonly theory: Course[];

  constructor(private readonly rng: Random, private readonly now: number, private readonly periods: Period[], courses: Course[], private readonly families: Family[]) {
    for (const c of courses) if (c.instrument) this.lessons.set(c.instrument, [...(this.lessons.get(c.instrument) ?? []), c]);
    this.ensembles = courses.filter((c) => c.kind === "ensemble");
    this.theory = courses.filter((c) => c.kind === "theory");
  }

  get writers() {
    return [this.enrolments, this.waitingList, this.loans, this.invoices, this.familyLinks];
  }

  addPerson(p: PersonPlan) {
    if (p.system || p.kind === "staff") return;
    this.addEnrolments(p);
    this.addLoans(p);
    this.addWaitingList(p);
  }

  private addEnrolments(p: PersonPlan) {
    const { rng } = this;
    const current = this.periods[this.periods.length - 1];
    const payer = this.payerOf(p);
    let lastInvoice: { amount: number; period: Period } | null = null;
    for (const period of this.periods) {
      if (period.end < p.joinedAt || period.start > p.endAt) continue;
      const isCurrent = period === current && p.cohort === "current";
      const chosen = this.coursesFor(p, isCurrent);
      if (chosen.length === 0) continue;
      const enrolledAt = Math.max(p.joinedAt, period.start - rng.int(5, 40) * DAY);
      for (const course of chosen) this.enrolments.add([p.id, course.id, period.id, isCurrent, enrolledAt]);
      const amount = chosen.reduce((sum, c) => sum + c.fee, 0);
      const unpaid = (isCurrent && rng.chance(0.12)) || (p.cohort === "recent" && period.end >= p.endAt && rng.chance(0.1));
      this.addInvoice(payer, amount, unpaid ? 0 : amount, period.start + 14 * DAY);
      lastInvoice = { amount, period };
    }
    if (p.blocker === "debt") {
      // The final invoice (or a damage fee) was never settled.
      const amount = lastInvoice?.amount ?? 180;
      this.addInvoice(p.id, amount, Math.round(amount * rng.next() * 0.5), p.endAt - 20 * DAY);
    }
  }

  private coursesFor(p: PersonPlan, isCurrent: boolean): Course[] {
    const { rng } = this;
    const young = p.age < 9;
    if (p.kind === "student") {
      if (!isCurrent && !rng.chance(0.85)) return [];
      const lessons = this.lessons.get(p.instrument ?? "Piano") ?? [];
      const chosen = [young && rng.chance(0.5) ? this.theory[3] : lessons[lessons.length > 1 && rng.chance(0.25) ? 1 : 0]];
      if (rng.chance(0.25)) chosen.push(rng.pick(this.ensembles));
      if (!young && rng.chance(0.15)) chosen.push(rng.pick(this.theory.slice(0, 3)));
      return chosen;
    }
    if (p.kind === "member") return rng.chance(0.8) ? [rng.pick(this.ensembles)] : [];
    return rng.chance(0.05) ? [this.lessons.get("Piano")![0]] : [];
  }

  private payerOf(p: PersonPlan): number {
    // Parents pay for their children's lessons.
    if (p.familyId === null || p.kind !== "student") return p.id;
    return this.families[p.familyId - 1].parentIds[0] ?? p.id;
  }

  private addInvoice(personId: number, amount: number, paid: number, issued: number) {
    const issuedOn = isoDate(Math.min(issued, this.now));
    const number = `RE-${issuedOn.slice(0, 4)}-${String(++this.invoiceSeq).padStart(7, "0")}`;
    this.invoices.add([personId, number, amount.toFixed(2), paid.toFixed(2), issuedOn, isoDate(Date.parse(issuedOn) + 30 * DAY)]);
  }

  private addLoans(p: PersonPlan) {
    const { rng, now } = this;
    const hireable = INSTRUMENTS.find((i) => i.name === p.instrument && i.hire);
    if ((p.kind === "student" || p.kind === "member") && rng.chance(0.35)) {
      for (let i = rng.int(1, 3); i > 0; i--) {
        const instrument = hireable && rng.chance(0.5);
        const lentAt = p.joinedAt + rng.next() * Math.max(DAY, p.endAt - p.joinedAt - 2 * DAY);
        const dueAt = lentAt + (instrument ? 180 : 42) * DAY;
        const back = lentAt + (0.3 + rng.next()) * (dueAt - lentAt);
        const returnedAt = p.cohort === "current" ? (back < now ? back : null) : Math.min(back, p.endAt);
        this.loans.add([p.id, instrument ? "instrument" : "book", instrument ? this.hireItem(hireable!.name, hireable!.hire!) : rng.pick(BOOKS), lentAt, dueAt, returnedAt]);
      }
    }
    if (p.blocker === "loan") {
      const instrument = hireable ?? INSTRUMENTS[1];
      this.loans.add([p.id, "instrument", this.hireItem(instrument.name, instrument.hire!), p.endAt - 100 * DAY, p.endAt + 80 * DAY, null]);
    }
    if (p.id === DEMO_BLOCKED_PERSON.id) {
      this.loans.add([p.id, "instrument", DEMO_BLOCKED_PERSON.openLoanItem, now - 100 * DAY, now + 80 * DAY, null]);
    }
  }

  // Instrument numbers start at 100, so the demo's "Cello #C-042" stays unique.
  private hireItem(name: string, prefix: string) {
    const n = (this.hireSeq.get(prefix) ?? 99) + 1;
    this.hireSeq.set(prefix, n);
    return `${name} #${prefix}-${n}`;
  }

  private addWaitingList(p: PersonPlan) {
    const { rng, now } = this;
    const course = () => (rng.chance(0.6) ? this.lessons.get(p.instrument ?? "Cello")?.[0] ?? this.ensembles[0] : rng.pick(this.ensembles));
    if (p.blocker === "waiting") this.waitingList.add([p.id, course().id, true, p.endAt - 200 * DAY]);
    else if (p.cohort === "current" && rng.chance(0.08)) this.waitingList.add([p.id, course().id, true, now - rng.int(5, 300) * DAY]);
    else if (rng.chance(0.05)) this.waitingList.add([p.id, course().id, false, p.joinedAt + rng.next() * (p.endAt - p.joinedAt)]);
  }

  /** Links in both directions; a pair is active or not as a whole. */
  addFamily(f: Family) {
    const { rng } = this;
    const activeFor = () => (f.cohort === "blocked" ? true : f.cohort === "eligible" ? false : f.cohort === "recent" ? rng.chance(0.5) : rng.chance(0.92));
    const link = (a: number, b: number, ab: string, ba: string) => {
      const active = activeFor();
      this.familyLinks.add([a, b, ab, active]);
      this.familyLinks.add([b, a, ba, active]);
    };
    for (const child of f.childIds) for (const parent of f.parentIds) link(child, parent, "parent", "child");
    for (let i = 0; i < f.childIds.length; i++) for (let j = i + 1; j < f.childIds.length; j++) link(f.childIds[i], f.childIds[j], "sibling", "sibling");
  }
}
