import { table } from "@/lib/i18n/server-messages-table";

// The German of what the webhooks say (lib/webhooks): the SSRF guard's refusals, the
// settings' field checks, and a delivery's last error as the settings page shows it,
// keyed by the English message like the rest of lib/i18n/server-messages-de.ts, which
// includes this table.

export const GERMAN_WEBHOOK_MESSAGES = table({
  // The SSRF guard (address-guard.ts).
  "a loopback address": "eine Loopback-Adresse",
  "a private address": "eine private Adresse",
  "a link-local address": "eine link-lokale Adresse",
  "a shared address (carrier-grade NAT)": "eine gemeinsam genutzte Adresse (Carrier-Grade-NAT)",
  "an unspecified address": "eine unspezifizierte Adresse",
  "a multicast address": "eine Multicast-Adresse",
  "a broadcast address": "eine Broadcast-Adresse",
  "a reserved address": "eine reservierte Adresse",
  "points at {name}, {text}": "verweist auf {name}, {text}",
  "A webhook may not be sent to {name}, {text}.": "Ein Webhook darf nicht an {name} gesendet werden – {text}.",
  "must be an absolute URL": "muss eine absolute URL sein",
  "The webhook URL must be an absolute URL.": "Die Webhook-URL muss eine absolute URL sein.",
  "must be an https:// address": "muss eine https://-Adresse sein",
  "The webhook URL must be an https:// address.": "Die Webhook-URL muss eine https://-Adresse sein.",
  "must not contain a user name or password": "darf keinen Benutzernamen und kein Passwort enthalten",
  "The webhook URL must not contain a user name or password.": "Die Webhook-URL darf keinen Benutzernamen und kein Passwort enthalten.",
  "names a host that could not be found": "nennt einen Host, der nicht gefunden wurde",
  "The webhook URL names a host that could not be found.": "Die Webhook-URL nennt einen Host, der nicht gefunden wurde.",
  // The settings' checks (schemas.ts) and operations (endpoints.ts).
  "must be task.completed, task.failed, request.due_soon or request.overdue": "muss task.completed, task.failed, request.due_soon oder request.overdue sein",
  "must be a list of events": "muss eine Liste von Ereignissen sein",
  "must name at least one event": "muss mindestens ein Ereignis nennen",
  "must name each event at most once": "darf jedes Ereignis höchstens einmal nennen",
  "Webhook endpoint {id} does not exist.": "Der Webhook-Endpunkt {id} existiert nicht.",
  "The test event was taken by another run; see the delivery list.": "Das Testereignis wurde von einem anderen Lauf übernommen; siehe die Liste der Zustellungen.",
  // A delivery's last error (deliver.ts, post.ts, secret.ts).
  "The endpoint's signing secret can no longer be read: AUTH_SECRET has changed since it was made. Rotate the secret.":
    "Das Signaturgeheimnis des Endpunkts kann nicht mehr gelesen werden: AUTH_SECRET wurde geändert, seit es erzeugt wurde. Erneuern Sie das Geheimnis.",
  "The endpoint answered {id}.": "Der Endpunkt antwortete mit {id}.",
  "The endpoint answered with a redirect ({id}); redirects are not followed.": "Der Endpunkt antwortete mit einer Weiterleitung ({id}); Weiterleitungen wird nicht gefolgt.",
  "No answer within {n} s.": "Keine Antwort innerhalb von {n} s.",
  "The connection was refused.": "Die Verbindung wurde abgelehnt.",
  "The connection was closed before an answer came.": "Die Verbindung wurde geschlossen, bevor eine Antwort kam.",
  "The host name could not be found.": "Der Hostname wurde nicht gefunden.",
  "The host could not be reached.": "Der Host war nicht erreichbar.",
  "The connection timed out.": "Beim Verbindungsaufbau wurde das Zeitlimit überschritten.",
  "The TLS connection failed ({name}).": "Die TLS-Verbindung ist fehlgeschlagen ({name}).",
  "The request failed ({name}).": "Die Anfrage ist fehlgeschlagen ({name}).",
});
