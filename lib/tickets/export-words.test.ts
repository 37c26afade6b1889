import { expect, it } from "vitest";
import { ticketsCsv } from "./export";

// The ticket download's words: the header row in the requester's language, times as the
// interface writes them in the organisation's time zone.
const row = {
  number: 4711, title: "Geige", state: "closed", customer: "Ida Brandt", owner: null, organisation: null,
  createdAt: new Date("2026-11-01T08:30:00Z"), closedAt: null, messages: 2,
};

it("writes the CSV header and times in German for locale de, and as before in English", () => {
  const [header, line] = ticketsCsv([row], { locale: "de", timeZone: "Europe/Berlin" }).split("\r\n");
  expect(header).toBe("Nummer,Titel,Status,Kunde,Bearbeiter,Organisation,Erstellt am,Geschlossen am,Nachrichten");
  expect(line).toBe('4711,Geige,closed,Ida Brandt,,,"01.11.2026, 09:30",,2');
  const [enHeader, enLine] = ticketsCsv([row], { locale: "en", timeZone: "Europe/Berlin" }).split("\r\n");
  expect(enHeader).toBe("number,title,state,customer,owner,organisation,createdAt,closedAt,messages");
  expect(enLine).toBe("4711,Geige,closed,Ida Brandt,,,2026-11-01 09:30,,2");
});
