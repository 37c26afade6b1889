import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { apiDocument } from "@/app/api/routes";
import { requirePage } from "@/lib/auth/session";
import type { JsonSchema } from "@/lib/openapi/json-schema";
import { PageHeader, Section } from "../../../_components/ui";
import { OperationView, operationAnchor, operationWords } from "./_components/operation";
import { schemaAnchor, SchemaView } from "./_components/schema-view";

// /api/docs: the OpenAPI document (GET /api/v1/openapi.json) for people, rendered on the
// server from the same object the JSON route answers: the operations by tag, the webhook
// events, then the named schemas the operations link to. Every signed-in account may read
// it, as it may read the JSON; it holds no data.

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("apiDocs"))("title") };
}

type Webhook = { post: JsonSchema };

const ERROR_SHAPE = '{ "error": { "code", "message", "issues"? } }';

export default async function ApiDocsPage() {
  const actor = await requirePage();
  const [t, words] = await Promise.all([getTranslations("apiDocs"), operationWords()]);
  const schema = words.schema;
  const document = apiDocument();
  const operations = Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
  const tags = (document.tags as { name: string; description: string }[]).map((tag) => ({ ...tag, operations: operations.filter((o) => (o.op.tags as string[])[0] === tag.name) }));
  const webhooks = Object.entries((document.webhooks ?? {}) as Record<string, Webhook>);
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={<a href="/api/v1/openapi.json" className="inline-flex rounded border border-line bg-white px-3 py-1.5 text-sm font-medium">{t("rawDocument")}</a>}
      />
      <div className="mb-6 max-w-3xl space-y-1">
        <p>{t.rich("intro.auth", { code: (chunks) => <code>{chunks}</code> })} {actor.permissions.includes("admin.settings") ? <Link href="/settings/tokens">{t("intro.tokens")}</Link> : t("intro.tokens")}</p>
        <p>{t("intro.client")}</p>
        <p>{t("intro.errors")} <code>{ERROR_SHAPE}</code>. {t("intro.notAllowed")}</p>
      </div>

      <nav aria-labelledby="api-contents" className="mb-6">
        <h2 id="api-contents" className="text-sm font-semibold uppercase tracking-wide text-muted">{t("contents")}</h2>
        <ul className="mt-1 grid gap-x-6 sm:grid-cols-2">
          {tags.map((tag) => (
            <li key={tag.name}>
              <a href={`#tag-${tag.name.replace(/\W+/g, "-")}`} className="underline">{tag.name}</a>
              <span className="text-muted"> · {t("operationCount", { count: tag.operations.length })}</span>
              <ul className="ml-4">
                {tag.operations.map(({ op, method, path }) => (
                  <li key={op.operationId as string}><a href={`#${operationAnchor(op.operationId as string)}`}>{method.toUpperCase()} {path}</a></li>
                ))}
              </ul>
            </li>
          ))}
          {webhooks.length ? <li><a href="#webhooks">{t("webhooks.title")}</a></li> : null}
          <li><a href="#schemas">{t("schemas.title")}</a></li>
        </ul>
      </nav>

      {tags.map((tag) => (
        <Section key={tag.name} id={`tag-${tag.name.replace(/\W+/g, "-")}`} title={tag.name}>
          <p className="mb-2 text-muted" lang="en">{tag.description}</p>
          {tag.operations.map(({ op, method, path }) => <OperationView key={op.operationId as string} method={method} path={path} operation={op} words={words} />)}
        </Section>
      ))}

      {webhooks.length ? (
        <Section id="webhooks" title={t("webhooks.title")}>
          <p className="mb-2 text-muted">{t("webhooks.description")}</p>
          {webhooks.map(([event, { post }]) => (
            <article key={event} aria-labelledby={`webhook-${event}`} className="mb-4 rounded border border-line bg-white p-3">
              <h3 id={`webhook-${event}`}><code className="font-semibold">{event}</code> <span lang="en">{post.summary as string}</span></h3>
              {typeof post.description === "string" ? <p className="mt-1 text-muted" lang="en">{post.description}</p> : null}
              <h4 className="mt-2 font-medium">{t("webhooks.headers")}</h4>
              <ul className="text-sm">
                {((post.parameters ?? []) as { name: string; description: string }[]).map((h) => <li key={h.name}><code>{h.name}</code> — <span lang="en">{h.description}</span></li>)}
              </ul>
              <h4 className="mt-2 font-medium">{t("webhooks.payload")}</h4>
              <SchemaView schema={(post.requestBody as { content: Record<string, { schema: JsonSchema }> }).content["application/json"].schema} t={schema} />
            </article>
          ))}
        </Section>
      ) : null}

      <Section id="schemas" title={t("schemas.title")}>
        <p className="mb-2 text-muted">{t("schemas.description")}</p>
        {Object.entries(document.components.schemas).map(([name, s]) => (
          <article key={name} id={schemaAnchor(name)} aria-labelledby={`${schemaAnchor(name)}-title`} className="mb-4 rounded border border-line bg-white p-3">
            <h3 id={`${schemaAnchor(name)}-title`} className="font-semibold"><code>{name}</code></h3>
            <SchemaView schema={s} t={schema} />
          </article>
        ))}
      </Section>
    </>
  );
}
