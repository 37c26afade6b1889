"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { ActionButton } from "@/app/_components/action-button";
import { useFormats } from "@/app/_components/format-client";
import { setAccountRolesAction } from "../actions";

type Account = { id: number; email: string; active: boolean; lastSignInAt: string | null; roleIds: number[] };

export function AccountRow({ account, roles }: { account: Account; roles: { id: number; name: string }[] }) {
  const [roleIds, setRoleIds] = useState<number[]>(account.roleIds);
  const [active, setActive] = useState(account.active);
  const t = useTranslations("admin.accounts");
  const f = useFormats();
  return (
    <tr>
      <td>{account.email}</td>
      <td className="whitespace-nowrap">{account.lastSignInAt ? f.dateTime(account.lastSignInAt) : t("never")}</td>
      <td>
        <fieldset>
          <legend className="sr-only">{t("rolesOf", { email: account.email })}</legend>
          <span className="flex flex-wrap gap-3">
            {roles.map((r) => {
              const id = `account-${account.id}-role-${r.id}`;
              return (
                <span key={r.id} className="flex items-center gap-1">
                  <input id={id} type="checkbox" checked={roleIds.includes(r.id)} onChange={(e) => setRoleIds((ids) => (e.target.checked ? [...ids, r.id] : ids.filter((x) => x !== r.id)))} />
                  <label htmlFor={id}>{r.name}</label>
                </span>
              );
            })}
          </span>
        </fieldset>
      </td>
      <td>
        <input id={`account-${account.id}-active`} type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} aria-label={t("isActive", { email: account.email })} />
      </td>
      <td className="whitespace-nowrap">
        {/* Ticked boxes, nothing typed: nothing to check before the server does. */}
        <ActionButton action={() => setAccountRolesAction({ accountId: account.id, roleIds, active })} success={() => t("saved")} aria-label={t("saveAccount", { email: account.email })}>{t("save")}</ActionButton>
      </td>
    </tr>
  );
}
