// Fixed people that end-to-end tests and demos can rely on after `npm run db:seed`
// (any --people N, default settings). Their ids are fixed too: the seed inserts them
// before the generated people.
//
// - Clara Whitfield: a former student who left three years ago, with nothing open, so she
//   is eligible for anonymisation. She has two tickets; the first was created from
//   203.0.113.77, an address nobody else uses. Her e-mail also sits in the cc list, and
//   her phone in the body, of a message on Jonas Brandt's oldest ticket: anonymising her
//   has to reach into another person's ticket.
// - Jonas Brandt: an adult cello student, enrolled this term, with an open instrument hire
//   ("Cello #C-042"), so he is not eligible. He has three tickets.
// - Frieda Vogel: the box office partner who writes to the helpdesk all the time — one
//   customer with people/20 tickets (5,000 at --people 100000), for deletion benchmarks.
// - The five demo accounts of SPEC §8 and §13 (the Auditor) (password `lethe-demo-password`), each linked to a
//   staff person.

export const DEMO_PASSWORD = "lethe-demo-password";

export const DEMO_ELIGIBLE_PERSON = {
  id: 8,
  firstName: "Clara",
  lastName: "Whitfield",
  email: "clara.whitfield@example.org",
  phone: "+49 30 5550 1234",
  externalId: "S-DEMO-1",
  ticketCount: 2,
  ticketIp: "203.0.113.77",
  otherTicketIp: "198.51.100.23",
} as const;

export const DEMO_BLOCKED_PERSON = {
  id: 9,
  firstName: "Jonas",
  lastName: "Brandt",
  email: "jonas.brandt@example.org",
  phone: "+49 341 5550 9876",
  externalId: "S-DEMO-2",
  ticketCount: 3,
  openLoanItem: "Cello #C-042",
} as const;

export const DEMO_HEAVY_CUSTOMER = {
  id: 10,
  firstName: "Frieda",
  lastName: "Vogel",
  email: "frieda.vogel@konzertbuero.example",
  phone: "+49 341 5550 4400",
} as const;

export const DEMO_SYSTEM_PEOPLE = [
  { id: 1, firstName: "Mailer", lastName: "Daemon", email: "mailer-daemon@musikschule.example", kind: "customer" },
  { id: 2, firstName: "Lethe", lastName: "System", email: "system@lethe.test", kind: "staff" },
  { id: 3, firstName: "Post", lastName: "Master", email: "postmaster@musikschule.example", kind: "customer" },
] as const;

export const DEMO_ACCOUNTS = [
  { personId: 4, email: "admin@lethe.test", role: "Admin", firstName: "Ada", lastName: "Admin" },
  { personId: 5, email: "superuser@lethe.test", role: "SuperUser", firstName: "Sue", lastName: "Superuser" },
  { personId: 6, email: "staff@lethe.test", role: "Staff", firstName: "Stan", lastName: "Staff" },
  { personId: 7, email: "agent@lethe.test", role: "Agent", firstName: "Agatha", lastName: "Agent" },
  { personId: 11, email: "auditor@lethe.test", role: "Auditor", firstName: "Aurelia", lastName: "Auditor" },
] as const;

/** Generated people start after the fixed ones. */
export const FIRST_GENERATED_PERSON_ID = 12;
