import type { Messages } from "./catalogues";
import type { Locale } from "./locales";

// Types the message keys everywhere next-intl is used: a misspelt key or a missing
// argument fails the typecheck.
declare module "next-intl" {
  interface AppConfig {
    Locale: Locale;
    Messages: Messages;
  }
}
