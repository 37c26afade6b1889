"use server";

import { runAction } from "@/lib/action";
import { anonymiseTickets } from "@/lib/privacy/anonymise/anonymise-tickets";

export async function anonymiseTicketsAction(input: unknown) {
  return runAction(anonymiseTickets, input, ["/tickets"]);
}
