import { fakerDE, fakerEN_GB } from "@faker-js/faker";
import { MAIL_DOMAINS, SCHOOL_DOMAIN, TOWN_ZIPS, TOWNS } from "./reference";
import type { Random } from "./random";

export const FAKER_SEED = 20261123;

const TRANSLITERATION: Record<string, string> = { ä: "ae", ö: "oe", ü: "ue", ß: "ss" };

/** ASCII, lower-case local part from a name: "Jörg-Uwe" → "joerg-uwe". */
export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[äöüß]/g, (c) => TRANSLITERATION[c])
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9-]+/g, "")
    .replace(/^-+|-+$/g, "");
}

const MOBILE_PREFIXES = ["151", "152", "157", "160", "162", "170", "171", "172", "175", "176", "177", "179"];

// Documentation ranges (RFC 5737) first; beyond them, carrier-grade NAT space
// (100.64.0.0/10), as mobile customers really show up. 203.0.113.77 is Clara's alone.
const DOC_NETS = ["203.0.113", "198.51.100", "192.0.2"];
const RESERVED_IPS = new Set(["203.0.113.77"]);

/**
 * Names, addresses, e-mail addresses and phone numbers. Faker supplies realistic German
 * (and some British) names and streets; e-mail addresses and phone numbers are kept
 * unique, so that finding or erasing one person's address never touches another's.
 */
export class ContactFactory {
  private readonly emails = new Set<string>();
  private readonly phones = new Set<string>();

  constructor(private readonly rng: Random, private readonly ipPoolSize: number) {
    fakerDE.seed(FAKER_SEED);
    fakerEN_GB.seed(FAKER_SEED + 1);
  }

  reserve(email: string | null, phone: string | null) {
    if (email) this.emails.add(email);
    if (phone) this.phones.add(phone);
  }

  name(sex: "female" | "male", lastName?: string) {
    const faker = this.rng.chance(0.85) ? fakerDE : fakerEN_GB;
    return { firstName: faker.person.firstName(sex), lastName: lastName ?? faker.person.lastName() };
  }

  email(firstName: string, lastName: string, id: number, domain?: string): string {
    const base = `${slug(firstName)}.${slug(lastName)}`.replace(/^\.|\.$/g, "") || `person${id}`;
    const host = domain ?? this.rng.weighted(MAIL_DOMAINS);
    for (let attempt = 0; attempt < 4; attempt++) {
      const candidate = `${base}.${this.rng.int(1, attempt < 2 ? 99 : 999)}@${host}`;
      if (!this.emails.has(candidate)) return this.keep(this.emails, candidate);
    }
    return this.keep(this.emails, `${base}.${id}@${host}`);
  }

  staffEmail(firstName: string, lastName: string, id: number): string {
    const candidate = `${slug(firstName)}.${slug(lastName)}@${SCHOOL_DOMAIN}`;
    return this.emails.has(candidate) ? this.email(firstName, lastName, id, SCHOOL_DOMAIN) : this.keep(this.emails, candidate);
  }

  phone(): string {
    for (;;) {
      const candidate = this.rng.chance(0.6)
        ? `+49 ${this.rng.pick(MOBILE_PREFIXES)} ${this.rng.int(1000, 9999)} ${this.rng.int(100, 9999)}`
        : `+49 341 ${this.rng.int(200000, 9999999)}`;
      if (!this.phones.has(candidate)) return this.keep(this.phones, candidate);
    }
  }

  address(): string {
    const town = this.rng.weighted(TOWNS);
    const street = `${fakerDE.location.street()} ${fakerDE.location.buildingNumber()}`;
    return `${street}, ${this.rng.pick(TOWN_ZIPS[town])} ${town}`;
  }

  companyName(): string {
    return fakerDE.company.name();
  }

  ip(): string {
    for (;;) {
      const k = this.rng.int(0, this.ipPoolSize - 1);
      const ip = k < DOC_NETS.length * 254
        ? `${DOC_NETS[Math.floor(k / 254)]}.${(k % 254) + 1}`
        : cgnat(k - DOC_NETS.length * 254);
      if (!RESERVED_IPS.has(ip)) return ip;
    }
  }

  private keep(set: Set<string>, value: string) {
    set.add(value);
    return value;
  }
}

function cgnat(k: number): string {
  const host = (k % 254) + 1;
  const net = Math.floor(k / 254) % (64 * 256);
  return `100.${64 + Math.floor(net / 256)}.${net % 256}.${host}`;
}
