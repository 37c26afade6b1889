// npm run token:create -- --account EMAIL --name NAME
// Prints a new API token for that account, once. Do not run it against a PGlite folder
// that a running server holds open.
import { eq } from "drizzle-orm";
import { openConfiguredDb } from "@/db/client";
import { accounts } from "@/db/schema";
import { issueApiToken } from "@/lib/admin/tokens";
import { DomainError } from "@/lib/errors";
import { runCli } from "./cli";

runCli(
  async (args) => {
    const email = String(args.account ?? "").trim().toLowerCase();
    const name = String(args.name ?? "").trim();
    if (!email) throw new DomainError("invalid_input", "--account is required (the account's e-mail address)");
    if (!name || name.length > 100) throw new DomainError("invalid_input", "--name is required (1–100 characters), e.g. --name \"HR integration\"");
    const handle = openConfiguredDb();
    try {
      const token = await handle.db.transaction(async (tx) => {
        const [account] = await tx.select().from(accounts).where(eq(accounts.email, email));
        if (!account) throw new DomainError("not_found", `No account with the e-mail address ${email}.`);
        return issueApiToken(tx, { accountId: account.id, name, actorAccountId: null });
      });
      console.log(token.secret);
      console.error(`[lethe] token “${token.name}” for ${token.accountEmail} created; it is shown only this once.`);
    } finally {
      await handle.close();
    }
  },
  { account: { type: "string" }, name: { type: "string" } },
);
