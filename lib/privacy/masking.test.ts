import { describe, expect, it } from "vitest";
import {
  generaliseAddress, generaliseCustomValue, generaliseDate, generalisePhone, maskedLabel, maskPhone, maskText, maskWord,
} from "./masking";

describe("masked label of a task's subject", () => {
  it("keeps the first and last letter of each name", () => {
    expect(maskedLabel("Alma", "Kirsten")).toBe("A**a K*****n");
    expect(maskedLabel("Jörg-Uwe", "Müller")).toBe("J******e M****r");
  });

  it("handles short, multi-word and missing names", () => {
    expect(maskWord("Al")).toBe("A*");
    expect(maskWord("A")).toBe("*");
    expect(maskedLabel("Li", "van der Berg")).toBe("L* v*n d*r B**g");
    expect(maskedLabel("", "")).toBe("(no name)");
    expect(maskedLabel(null, "Kirsten")).toBe("K*****n");
  });
});

describe("mask policies", () => {
  it("masks a phone number to its country code and last two digits", () => {
    expect(maskPhone("+49 30 5550 1234")).toBe("+49 *** **34");
    expect(maskPhone("0341 5550 9876")).toBe("*** **76");
    expect(maskPhone("12")).toBe("***");
  });

  it("masks free text word by word", () => {
    expect(maskText("Hauptstr. 5, 04109 Leipzig")).toBe("H******r. *, 0***9 L*****g");
  });
});

describe("generalise policies", () => {
  it("keeps the year of a date of birth as 1 January (the column is a date)", () => {
    expect(generaliseDate("1990-05-17")).toBe("1990-01-01");
    expect(generaliseDate(null)).toBeNull();
  });

  it("keeps the town of an address, the country code of a phone", () => {
    expect(generaliseAddress("Hauptstr. 5, 04109 Leipzig")).toBe("Leipzig");
    expect(generalisePhone("+49 30 5550 1234")).toBe("+49");
    expect(generalisePhone("030 5550 1234")).toBeNull();
  });

  it("generalises custom values: dates to the year, numbers to their magnitude, text away", () => {
    expect(generaliseCustomValue("2011-03-04")).toBe("2011");
    expect(generaliseCustomValue("1234")).toBe("1000");
    expect(generaliseCustomValue("7")).toBe("7");
    expect(generaliseCustomValue("Violin")).toBeNull();
  });
});
