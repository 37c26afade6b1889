import { getRequestConfig } from "next-intl/server";
import { catalogues } from "./catalogues";
import { currentLanguage } from "./current";

// next-intl's per-request configuration (named in next.config.ts). URLs carry no locale
// prefix: Lethe is an admin tool behind a sign-in, its pages are never shared across
// languages or indexed, and the language belongs to the account, not to the address.
export default getRequestConfig(async () => {
  const { locale, timeZone } = await currentLanguage();
  return { locale, timeZone, messages: catalogues[locale] };
});
