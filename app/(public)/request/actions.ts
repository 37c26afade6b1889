"use server";

import { headers } from "next/headers";
import { getDb } from "@/db/client";
import { clientIpFrom } from "@/lib/auth/rate-limit";
import { env } from "@/lib/env";
import { confirmPublicRequestForm, type ConfirmFormState, type RequestFormState, submitPublicRequestForm } from "@/lib/requests/public/form-state";

// The public form's actions need no session: anyone may file a request, and nothing they
// return depends on who is signed in or on whether the address is on file.

export async function submitRequestAction(_previous: RequestFormState, formData: FormData): Promise<RequestFormState> {
  const clientIp = clientIpFrom(await headers(), env().TRUSTED_PROXY_HOPS);
  return submitPublicRequestForm(getDb(), { formData, clientIp });
}

export async function confirmRequestAction(_previous: ConfirmFormState, formData: FormData): Promise<ConfirmFormState> {
  return confirmPublicRequestForm(getDb(), { formData });
}
