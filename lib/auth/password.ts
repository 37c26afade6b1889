import { hash, verify } from "@node-rs/argon2";

// argon2id (the library default) with OWASP's suggested memory cost.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string) {
  return hash(password, OPTIONS);
}

// Compared against when the account does not exist, so that a wrong e-mail and a
// wrong password take the same time and cannot be told apart.
const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$r2eVz4NQkB8ONSwD52cQ1w$2lClIhurI6ztjmVsNor/pRiCPJfKi14X1473k9e+XcI";

export async function verifyPassword(passwordHash: string | null | undefined, password: string) {
  try {
    return await verify(passwordHash ?? DUMMY_HASH, password);
  } catch {
    return false;
  }
}
