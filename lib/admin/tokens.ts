import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { accounts, apiTokens } from "@/db/schema";
import { recordAudit } from "../audit";
import { randomToken, sha256 } from "../auth/tokens";
import { DomainError } from "../errors";
import { defineOperation } from "../operation";
import { idSchema } from "../validation";
import { createApiTokenSchema } from "./schemas";

// API tokens are shown once and stored as a SHA-256 hash: they are long random
// strings, so a fast hash is enough and lookups stay a single indexed equality.
const TOKEN_PREFIX = "lethe_";


/** Creates the token row; returns the secret, which is never stored. */
export async function issueApiToken(tx: DbOrTx, { accountId, name, actorAccountId }: { accountId: number; name: string; actorAccountId: number | null }) {
  const [account] = await tx.select().from(accounts).where(eq(accounts.id, accountId));
  if (!account) throw new DomainError("not_found", `Account ${accountId} does not exist.`, { accountId: ["does not exist"] });
  if (!account.active) throw new DomainError("rule_violation", "The account is deactivated; a token for it would not work.");
  const secret = randomToken(TOKEN_PREFIX, 32);
  const [token] = await tx
    .insert(apiTokens)
    .values({ accountId, name, prefix: secret.slice(0, TOKEN_PREFIX.length + 6), tokenHash: sha256(secret) })
    .returning({ id: apiTokens.id, name: apiTokens.name, prefix: apiTokens.prefix, createdAt: apiTokens.createdAt });
  await recordAudit(tx, { actorAccountId, action: "api_token.created", targetType: "api_token", targetId: token.id, details: { accountId, name } });
  return { ...token, accountEmail: account.email, secret };
}

export const createApiToken = defineOperation({
  name: "createApiToken",
  permission: "admin.settings",
  input: createApiTokenSchema,
  run: ({ tx, actor, input }) => issueApiToken(tx, { ...input, actorAccountId: actor.accountId }),
});

export const revokeApiToken = defineOperation({
  name: "revokeApiToken",
  permission: "admin.settings",
  input: z.object({ tokenId: idSchema }),
  async run({ tx, actor, input }) {
    const [token] = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, input.tokenId), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    if (!token) throw new DomainError("not_found", `Token ${input.tokenId} does not exist or is already revoked.`);
    await recordAudit(tx, { actorAccountId: actor.accountId, action: "api_token.revoked", targetType: "api_token", targetId: token.id });
    return token;
  },
});

/** The account behind a bearer token, or null. Updates the token's last use. */
export async function accountIdForApiToken(db: DbOrTx, secret: string): Promise<number | null> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return null;
  const [row] = await db
    .update(apiTokens)
    .set({ lastUsedAt: new Date() })
    .where(and(eq(apiTokens.tokenHash, sha256(secret)), isNull(apiTokens.revokedAt)))
    .returning({ accountId: apiTokens.accountId });
  return row?.accountId ?? null;
}

export async function listApiTokens(db: DbOrTx) {
  return db
    .select({ id: apiTokens.id, name: apiTokens.name, prefix: apiTokens.prefix, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt, revokedAt: apiTokens.revokedAt, accountEmail: accounts.email })
    .from(apiTokens)
    .innerJoin(accounts, eq(accounts.id, apiTokens.accountId))
    .orderBy(apiTokens.revokedAt, apiTokens.createdAt);
}
