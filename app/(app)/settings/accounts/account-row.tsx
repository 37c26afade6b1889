"use client";

import { useState, useTransition } from "react";
import { Button } from "@/app/_components/ui";
import { setAccountRolesAction } from "../actions";

type Account = { id: number; email: string; active: boolean; lastSignInAt: string | null; roleIds: number[] };

export function AccountRow({ account, roles }: { account: Account; roles: { id: number; name: string }[] }) {
  const [roleIds, setRoleIds] = useState<number[]>(account.roleIds);
  const [active, setActive] = useState(account.active);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, start] = useTransition();
  const save = () =>
    start(async () => {
      const result = await setAccountRolesAction({ accountId: account.id, roleIds, active });
      setMessage(result.ok ? { ok: true, text: "Saved." } : { ok: false, text: result.message });
    });
  return (
    <tr>
      <td>{account.email}</td>
      <td className="whitespace-nowrap">{account.lastSignInAt ? account.lastSignInAt.slice(0, 16).replace("T", " ") : "never"}</td>
      <td>
        <fieldset>
          <legend className="sr-only">Roles of {account.email}</legend>
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
        <input id={`account-${account.id}-active`} type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} aria-label={`${account.email} is active`} />
      </td>
      <td className="whitespace-nowrap">
        <Button type="button" onClick={save} disabled={pending} aria-label={`Save ${account.email}`}>Save</Button>
        {message ? <span role={message.ok ? "status" : "alert"} className={`ml-2 ${message.ok ? "text-ok" : "text-danger"}`}>{message.text}</span> : null}
      </td>
    </tr>
  );
}
