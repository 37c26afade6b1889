import { describe, expect, it } from "vitest";
import { DomainError } from "@/lib/errors";
import { blockedAddressReason, checkWebhookUrl, checkWebhookUrlShape } from "./address-guard";

// The SSRF guard's rule, without a database: which addresses are not public, and which
// URLs are refused (each naming `url`) unless the development setting allows them.

describe("blockedAddressReason", () => {
  it.each([
    ["127.0.0.1", "a loopback address"], ["127.255.0.9", "a loopback address"], ["::1", "a loopback address"],
    ["10.0.0.1", "a private address"], ["172.16.5.4", "a private address"], ["172.31.255.255", "a private address"], ["192.168.1.1", "a private address"],
    ["169.254.169.254", "a link-local address"], ["fe80::1", "a link-local address"], ["fe80::1%eth0", "a link-local address"],
    ["100.64.0.1", "a shared address (carrier-grade NAT)"], ["100.127.255.254", "a shared address (carrier-grade NAT)"],
    ["0.0.0.0", "an unspecified address"], ["::", "an unspecified address"],
    ["224.0.0.1", "a multicast address"], ["ff02::1", "a multicast address"], ["255.255.255.255", "a broadcast address"],
    ["fc00::1", "a private address"], ["fd12:3456::1", "a private address"],
    ["::ffff:127.0.0.1", "a loopback address"], ["::ffff:7f00:1", "a loopback address"], ["::ffff:10.1.2.3", "a private address"],
    ["::ffff:169.254.169.254", "a link-local address"], ["64:ff9b::a9fe:a9fe", "a link-local address"], ["2002:a00:1::", "a private address"],
    ["192.0.2.10", "a reserved address"], ["2001:db8::1", "a reserved address"], ["240.0.0.1", "a reserved address"], ["::10.0.0.1", "a reserved address"],
  ])("%s is %s", (address, reason) => {
    expect(blockedAddressReason(address)).toBe(reason);
  });

  it.each(["93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "2a00:1450:4001:82b::200e"])("%s is public", (address) => {
    expect(blockedAddressReason(address)).toBeNull();
  });
});

async function refusal(url: string, allowPrivate = false) {
  try {
    await checkWebhookUrl(url, allowPrivate);
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, fields: Object.keys(error.fieldErrors ?? {}), field: error.fieldErrors?.url?.[0], message: error.message };
    throw error;
  }
  return null;
}

describe("checkWebhookUrl", () => {
  it.each([
    ["http://example.org/hook", "must be an https:// address"],
    ["ftp://example.org/hook", "must be an https:// address"],
    ["https://127.0.0.1/hook", "points at 127.0.0.1, a loopback address"],
    ["https://[::1]:8443/hook", "points at ::1, a loopback address"],
    ["https://10.0.0.1/hook", "points at 10.0.0.1, a private address"],
    ["https://169.254.169.254/latest/meta-data/", "points at 169.254.169.254, a link-local address"],
    ["https://[::ffff:127.0.0.1]/hook", "points at ::ffff:7f00:1, a loopback address"],
    ["https://[::ffff:a9fe:a9fe]/hook", "points at ::ffff:a9fe:a9fe, a link-local address"],
    // The URL parser reads these as 127.0.0.1 too.
    ["https://2130706433/hook", "points at 127.0.0.1, a loopback address"],
    ["https://0x7f.1/hook", "points at 127.0.0.1, a loopback address"],
    ["https://localhost/hook", "points at localhost (127.0.0.1), a loopback address"],
    ["https://user:secret@93.184.215.14/hook", "must not contain a user name or password"],
    ["https://token@93.184.215.14/hook", "must not contain a user name or password"],
    ["not a url", "must be an absolute URL"],
  ])("%s: %s", async (url, field) => {
    expect(await refusal(url)).toEqual({ code: "invalid_input", fields: ["url"], field, message: expect.any(String) });
  });

  it("lets a public https URL through, literal or named", async () => {
    expect((await checkWebhookUrl("https://93.184.215.14:8443/hook?x=1", false)).href).toBe("https://93.184.215.14:8443/hook?x=1");
    expect(checkWebhookUrlShape("https://hooks.example.org/lethe", false).host).toBe("hooks.example.org");
  });

  it("lets http and private addresses through with the development setting, and still refuses credentials", async () => {
    expect(await refusal("http://127.0.0.1:4000/hook", true)).toBeNull();
    expect(await refusal("https://localhost/hook", true)).toBeNull();
    expect(await refusal("http://user:pw@127.0.0.1/hook", true)).toMatchObject({ field: "must not contain a user name or password" });
    expect(await refusal("ftp://127.0.0.1/hook", true)).toMatchObject({ field: "must be an https:// address" });
  });
});
