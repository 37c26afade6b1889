import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { currentActor } from "@/lib/auth/session";
import { LoginForm } from "./login-form";

export async function generateMetadata() {
  return { title: (await getTranslations("auth"))("title") };
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await currentActor()) redirect("/");
  const { callbackUrl } = await searchParams;
  const t = await getTranslations("auth");
  // Only same-site paths: a crafted link must not bounce a user to another site.
  const next = callbackUrl && callbackUrl.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/";
  return (
    <main className="flex min-h-screen items-center justify-center bg-panel p-6">
      <div className="w-full max-w-sm rounded-lg border border-line bg-white p-6 shadow-sm">
        <p className="text-xs font-semibold uppercase tracking-widest text-accent">Lethe</p>
        <h1 className="mt-1 text-lg font-semibold">{t("title")}</h1>
        <p className="mb-4 text-muted">{t("intro")}</p>
        <LoginForm callbackUrl={next} />
      </div>
    </main>
  );
}
