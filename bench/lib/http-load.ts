import { percentile, timeOnce } from "./measure";

// Signs in through the Auth.js credentials flow (as a browser does, without JavaScript)
// and fires rounds of concurrent GETs, timing each request until its body is read.

function cookiesOf(response: Response) {
  return response.headers.getSetCookie().map((c) => c.split(";")[0]);
}

function mergeCookies(jar: Map<string, string>, cookies: string[]) {
  for (const c of cookies) {
    const eq = c.indexOf("=");
    jar.set(c.slice(0, eq), c.slice(eq + 1));
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}

/** Returns the Cookie header of a signed-in session. */
export async function signIn(baseUrl: string, email: string, password: string) {
  const jar = new Map<string, string>();
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  if (!csrf.ok) throw new Error(`GET /api/auth/csrf answered ${csrf.status}`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  let cookie = mergeCookies(jar, cookiesOf(csrf));
  const callback = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${baseUrl}/people` }),
  });
  cookie = mergeCookies(jar, cookiesOf(callback));
  const location = callback.headers.get("location") ?? "";
  if (!/session-token=/.test(cookie) || /error=/.test(location)) {
    throw new Error(`sign-in as ${email} failed (${callback.status} → ${location || "no redirect"})`);
  }
  return cookie;
}

/** GET `url` and check that it is the page asked for, not a redirect to the sign-in page. */
export async function fetchPage(url: string, cookie?: string) {
  const response = await fetch(url, { redirect: "manual", headers: cookie ? { cookie } : {} });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET ${new URL(url).pathname} answered ${response.status}${response.headers.get("location") ? ` → ${response.headers.get("location")}` : ""}`);
  return body;
}

export type LoadResult = { samples: number[]; p50: number; p95: number; max: number };

/** `rounds` rounds of `concurrency` simultaneous calls; latency of every call. */
export async function load(rounds: number, concurrency: number, call: () => Promise<unknown>): Promise<LoadResult> {
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const timings = await Promise.all(Array.from({ length: concurrency }, () => timeOnce(call)));
    samples.push(...timings.map((t) => t.ms));
  }
  return { samples, p50: percentile(samples, 50), p95: percentile(samples, 95), max: Math.max(...samples) };
}
