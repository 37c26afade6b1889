import { describe, expect, it } from "vitest";
import { readActivity } from "./activity-words";

describe("readActivity", () => {
  it("reads the parts of each summary Lethe records", () => {
    expect(readActivity("Annual anonymisation 2026: 1 task queued")).toEqual({ kind: "annualRun", year: 2026, count: 1 });
    expect(readActivity("Annual anonymisation 2026: 12 tasks queued")).toEqual({ kind: "annualRun", year: 2026, count: 12 });
    expect(readActivity("Deletion task #4 created for A*** B***")).toEqual({ kind: "taskCreated", taskId: 4, subject: "A*** B***" });
    expect(readActivity("Deletion task #5 created for A*** by retention rule #2")).toEqual({ kind: "taskCreatedByRule", taskId: 5, subject: "A***", ruleId: 2 });
    expect(readActivity("Deletion task #6 for (no name) cancelled")).toEqual({ kind: "taskCancelled", taskId: 6, subject: "(no name)" });
    expect(readActivity("Deletion task #6 for C*** queued again")).toEqual({ kind: "taskRetried", taskId: 6, subject: "C***" });
    expect(readActivity("Deletion task #6 for C*** approved")).toEqual({ kind: "taskApproved", taskId: 6, subject: "C***" });
    expect(readActivity("Deletion task #7 for C*** failed")).toEqual({ kind: "taskFailed", taskId: 7, subject: "C***" });
    expect(readActivity("Deletion task #7 for C*** completed: 3 tickets deleted")).toEqual({ kind: "taskCompleted", taskId: 7, subject: "C***", tickets: 3 });
    expect(readActivity("Deletion task #7 for C*** completed: 1 ticket deleted")).toEqual({ kind: "taskCompleted", taskId: 7, subject: "C***", tickets: 1 });
    expect(readActivity("Anonymisation task #8 created for D*** E***")).toEqual({ kind: "anonymisationCreated", taskId: 8, subject: "D*** E***" });
    expect(readActivity("Bulk anonymisation: 1 task queued")).toEqual({ kind: "bulkAnonymisation", count: 1 });
    expect(readActivity("Bulk anonymisation: 40 tasks queued")).toEqual({ kind: "bulkAnonymisation", count: 40 });
    expect(readActivity("Deleted 1 ticket with 1 message: #1042")).toEqual({ kind: "ticketsDeleted", count: 1, messages: 1, numbers: "#1042", more: 0 });
    expect(readActivity("Deleted 12 tickets with 30 messages: #1, #2, #3, #4, #5, #6, #7, #8, #9, #10 and 2 more"))
      .toEqual({ kind: "ticketsDeleted", count: 12, messages: 30, numbers: "#1, #2, #3, #4, #5, #6, #7, #8, #9, #10", more: 2 });
  });

  it("reads the summaries stored before counts were real plurals", () => {
    expect(readActivity("Deletion task #7 for C*** completed: 3 ticket(s) deleted")).toEqual({ kind: "taskCompleted", taskId: 7, subject: "C***", tickets: 3 });
  });

  it("keeps a summary of another shape as it was stored", () => {
    expect(readActivity("for everyone")).toEqual({ kind: "other", summary: "for everyone" });
  });
});
