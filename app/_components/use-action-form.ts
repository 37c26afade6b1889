"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useLocale } from "next-intl";
import { useState } from "react";
import { type DefaultValues, type FieldValues, type Path, type Resolver, useForm } from "react-hook-form";
import type { z } from "zod";
import type { Locale } from "@/lib/i18n/locales";
import { translateMessage } from "@/lib/i18n/server-messages";
import { type ActionOutcome, useAction } from "./use-action";

/** react-hook-form's nested errors as the paths the server names fields by ("schedule.hour"). */
export function errorMessages(errors: object, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(errors)) {
    if (!value || typeof value !== "object" || key === "ref") continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof (value as { message?: unknown }).message === "string") out[path] = (value as { message: string }).message;
    else Object.assign(out, errorMessages(value, path));
  }
  return out;
}

/** The browser's own check words its messages as the server's refusals are: in the reader's language. */
function translateErrors<E extends object>(errors: E, locale: Locale): E {
  if (locale === "en") return errors;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(errors)) {
    if (key === "ref" || !value || typeof value !== "object") out[key] = value;
    else if (typeof (value as { message?: unknown }).message === "string") out[key] = { ...value, message: translateMessage((value as { message: string }).message, locale) };
    else out[key] = translateErrors(value, locale);
  }
  return out as E;
}

type SubmitOptions<T> = {
  onSuccess?: (data: T) => void;
  /** Words shown (as a status) once the action succeeded. */
  success?: (data: T) => string;
  /** The browser found fields to correct; nothing was sent. */
  onInvalid?: (errors: Record<string, string>) => void;
};

/**
 * A form whose fields are checked in the browser with the schema the server checks them
 * with, then sent to a server action. The values go as typed (the schema's input, not its
 * output), so the server parses exactly what the browser checked; its field errors land on
 * the fields, its other refusals in `failure`.
 */
export function useActionForm<S extends z.ZodType<unknown, FieldValues>>(
  schema: S,
  defaultValues: DefaultValues<z.input<S>>,
  /** What of the values the schema sees, where the form holds more than it posts. */
  prepare?: (values: z.input<S>) => z.input<S>,
) {
  const locale = useLocale();
  const check = zodResolver(schema, undefined, { raw: true });
  const resolver: Resolver<z.input<S>, unknown, z.input<S>> = async (values, context, options) => {
    const result = await check(prepare ? prepare(values) : values, context, options);
    return Object.assign(result, { errors: translateErrors(result.errors, locale) });
  };
  const form = useForm<z.input<S>, unknown, z.input<S>>({ resolver, defaultValues, mode: "onSubmit" });
  const { run, pending, failure, setFailure } = useAction();
  const [done, setDone] = useState<string | null>(null);

  function submit<T>(call: (values: z.input<S>) => Promise<ActionOutcome<T>>, options: SubmitOptions<T> = {}) {
    return form.handleSubmit(
      (values) => {
        setDone(null);
        run(async () => {
          const result = await call(values);
          if (!result.ok) {
            for (const [field, messages] of Object.entries(result.fieldErrors ?? {})) form.setError(field as Path<z.input<S>>, { message: messages.join("; ") });
          }
          return result;
        }, (data: T) => {
          if (options.success) setDone(options.success(data));
          options.onSuccess?.(data);
        });
      },
      (errors) => {
        setDone(null);
        setFailure(null);
        options.onInvalid?.(errorMessages(errors));
      },
    );
  }

  /** Back to the first values, without errors or messages (a form closed with Cancel). */
  function reset() {
    form.reset();
    setFailure(null);
    setDone(null);
  }

  return { form, submit, reset, pending, failure, done, errors: errorMessages(form.formState.errors) };
}
