"use server";

import { runAction } from "@/lib/action";
import { anonymiseTicketsOperation } from "@/lib/privacy/anonymise/anonymise-tickets-operation";

export async function anonymiseTicketsAction(input: unknown) {
  return runAction(anonymiseTicketsOperation, input, ["/tickets"]);
}
