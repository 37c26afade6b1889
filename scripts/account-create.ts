// npm run account:create -- --email EMAIL --role ROLE
// The first-run path of an install without demo data. The password never goes on the
// command line (shell history, `ps`): it is read from LETHE_ACCOUNT_PASSWORD, or from
// standard input when that is not a terminal (`… < file`, a pipe), or asked for on the
// terminal without echo; left empty, one is generated and printed once.
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { openConfiguredDb } from "@/db/client";
import { createAccountWithRole, newAccountSchema } from "@/lib/admin/accounts";
import { env } from "@/lib/env";
import { DomainError } from "@/lib/errors";
import { describeFieldErrors, fieldErrorsOf } from "@/lib/validation";
import { runCli } from "./cli";

const NO_PASSWORD_FLAG =
  "--password is not accepted: a password on the command line is kept in the shell history and shown by `ps`. " +
  "Pipe it on standard input (printf '%s\\n' \"$PASSWORD\" | npm run account:create -- …), set LETHE_ACCOUNT_PASSWORD, " +
  "or leave both out to be asked (on a terminal) or to have one generated.";

/** The first line of standard input when it is a pipe or a file; "" when empty. */
async function readPipedPassword(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
}

/** Asks on the terminal without echoing what is typed. */
async function askPassword(): Promise<string> {
  const prompt = "Password (at least 12 characters; empty to generate one): ";
  process.stdout.write(prompt);
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
  const answer = await new Promise<string>((resolve) => rl.question("", resolve));
  rl.close();
  process.stdout.write("\n");
  return answer;
}

async function readPassword() {
  const fromEnv = env().LETHE_ACCOUNT_PASSWORD;
  if (fromEnv !== undefined) return { password: fromEnv, source: "LETHE_ACCOUNT_PASSWORD" };
  if (!process.stdin.isTTY) return { password: await readPipedPassword(), source: "standard input" };
  return { password: await askPassword(), source: "the terminal" };
}

runCli(
  async (args) => {
    if (args.password !== undefined) throw new DomainError("invalid_input", NO_PASSWORD_FLAG);
    const given = await readPassword();
    const generated = given.password === "";
    const password = generated ? randomBytes(18).toString("base64url") : given.password;
    const parsed = newAccountSchema.safeParse({ email: args.email ?? "", role: args.role ?? "", password, firstName: args["first-name"], lastName: args["last-name"] });
    if (!parsed.success) {
      const message = describeFieldErrors(fieldErrorsOf(parsed.error));
      throw new DomainError("invalid_input", parsed.error.issues.some((i) => i.path[0] === "password") ? `${message} (read from ${given.source})` : message);
    }
    const handle = openConfiguredDb();
    try {
      const { account, role } = await handle.db.transaction((tx) => createAccountWithRole(tx, parsed.data, null));
      console.log(`[lethe] account ${account.email} created with the role ${role.name}.`);
      if (generated) console.log(`[lethe] generated password (shown once): ${password}`);
    } finally {
      await handle.close();
    }
  },
  // --password is declared only to refuse it with the reason, rather than "unknown option".
  { email: { type: "string" }, role: { type: "string" }, password: { type: "string" }, "first-name": { type: "string" }, "last-name": { type: "string" } },
);
