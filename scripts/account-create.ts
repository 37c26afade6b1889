// npm run account:create -- --email EMAIL --role ROLE [--password PASSWORD]
// The first-run path of an install without demo data. Without --password it asks on a
// terminal, or generates one and prints it once.
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline/promises";
import { openConfiguredDb } from "@/db/client";
import { createAccountWithRole, newAccountSchema } from "@/lib/admin/accounts";
import { DomainError } from "@/lib/errors";
import { describeFieldErrors, fieldErrorsOf } from "@/lib/validation";
import { runCli } from "./cli";

async function askPassword(): Promise<string> {
  if (!process.stdin.isTTY) return "";
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question("Password (at least 12 characters; empty to generate one): ");
  rl.close();
  return answer;
}

runCli(
  async (args) => {
    let password = typeof args.password === "string" ? args.password : await askPassword();
    const generated = !password;
    if (generated) password = randomBytes(18).toString("base64url");
    const parsed = newAccountSchema.safeParse({ email: args.email ?? "", role: args.role ?? "", password, firstName: args["first-name"], lastName: args["last-name"] });
    if (!parsed.success) throw new DomainError("invalid_input", describeFieldErrors(fieldErrorsOf(parsed.error)));
    const handle = openConfiguredDb();
    try {
      const { account, role } = await handle.db.transaction((tx) => createAccountWithRole(tx, parsed.data, null));
      console.log(`[lethe] account ${account.email} created with the role ${role.name}.`);
      if (generated) console.log(`[lethe] generated password (shown once): ${password}`);
    } finally {
      await handle.close();
    }
  },
  { email: { type: "string" }, role: { type: "string" }, password: { type: "string" }, "first-name": { type: "string" }, "last-name": { type: "string" } },
);
