"use server";

import { runAction } from "@/lib/action";
import { searchPeopleForRequest } from "@/lib/requests/queries";
import { confirmRequestIdentity, extendRequest, registerRequest, updateRequest, withdrawRequest } from "@/lib/requests/requests";

// The request pages' actions: each runs one operation (session, privacy.requests, input,
// domain) and refreshes the queue and the request's page.

const pages = (id?: unknown) => ["/requests", ...(typeof id === "number" || typeof id === "string" ? [`/requests/${id}`] : [])];
const idOf = (input: unknown) => (input && typeof input === "object" ? (input as { requestId?: unknown }).requestId : undefined);

export async function registerRequestAction(input: unknown) {
  return runAction(registerRequest, input, pages());
}
export async function searchPeopleForRequestAction(query: string) {
  return runAction(searchPeopleForRequest, { query });
}
export async function confirmRequestIdentityAction(input: unknown) {
  return runAction(confirmRequestIdentity, input, pages(idOf(input)));
}
export async function extendRequestAction(input: unknown) {
  return runAction(extendRequest, input, pages(idOf(input)));
}
export async function updateRequestAction(input: unknown) {
  return runAction(updateRequest, input, pages(idOf(input)));
}
export async function withdrawRequestAction(input: unknown) {
  return runAction(withdrawRequest, input, pages(idOf(input)));
}
