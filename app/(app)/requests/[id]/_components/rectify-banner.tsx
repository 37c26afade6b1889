import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Alert } from "../../../../_components/ui";

/** On the person's edit form opened from a rectification request: which request the changes are linked to. */
export async function RequestBanner({ requestId }: { requestId: number }) {
  const t = await getTranslations("requestFulfil.rectify");
  return (
    <Alert tone="info">
      {t("banner", { id: String(requestId) })} <Link href={`/requests/${requestId}`} className="underline">{t("back", { id: String(requestId) })}</Link>
    </Alert>
  );
}
