"use client";

import { useState, useTransition } from "react";
import { Button } from "@/app/_components/ui";
import { createRoleAction, deleteRoleAction, updateRoleAction } from "../actions";

type Role = { id: number; name: string; description: string; permissions: string[]; accounts: number };

export function RoleForm({ role, permissions }: { role: Role | null; permissions: { name: string; label: string }[] }) {
  const [name, setName] = useState(role?.name ?? "");
  const [description, setDescription] = useState(role?.description ?? "");
  const [granted, setGranted] = useState<string[]>(role?.permissions ?? []);
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [pending, start] = useTransition();
  const idBase = role ? `role-${role.id}` : "role-new";

  function save() {
    start(async () => {
      const input = { name, description, permissions: granted };
      const result = role ? await updateRoleAction({ ...input, roleId: role.id }) : await createRoleAction(input);
      if (result.ok) {
        setMessage({ tone: "ok", text: role ? "Saved." : `Role “${name}” created.` });
        if (!role) { setName(""); setDescription(""); setGranted([]); }
      } else setMessage({ tone: "error", text: result.message });
    });
  }

  function remove() {
    if (!role || !window.confirm(`Delete the role “${role.name}”? ${role.accounts} account(s) will lose its permissions.`)) return;
    start(async () => {
      const result = await deleteRoleAction({ roleId: role.id });
      setMessage(result.ok ? { tone: "ok", text: "Deleted." } : { tone: "error", text: result.message });
    });
  }

  return (
    <fieldset className="rounded border border-line p-3">
      <legend className="px-1 font-semibold">{role ? `${role.name} · ${role.accounts} account(s)` : "New role"}</legend>
      <div className="mb-2 grid gap-2 sm:grid-cols-2">
        <div>
          <label htmlFor={`${idBase}-name`} className="block text-sm font-medium">Role name</label>
          <input id={`${idBase}-name`} value={name} onChange={(e) => setName(e.target.value)} maxLength={60} className="mt-1 w-full rounded border border-line px-2 py-1" />
        </div>
        <div>
          <label htmlFor={`${idBase}-description`} className="block text-sm font-medium">Description</label>
          <input id={`${idBase}-description`} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={300} className="mt-1 w-full rounded border border-line px-2 py-1" />
        </div>
      </div>
      <ul className="grid gap-1 sm:grid-cols-2">
        {permissions.map((p) => {
          const id = `${idBase}-${p.name}`;
          return (
            <li key={p.name} className="flex items-start gap-2">
              <input
                id={id}
                type="checkbox"
                checked={granted.includes(p.name)}
                onChange={(e) => setGranted((g) => (e.target.checked ? [...g, p.name] : g.filter((x) => x !== p.name)))}
                className="mt-1"
              />
              <label htmlFor={id}><code className="text-xs">{p.name}</code> <span className="text-muted">— {p.label}</span></label>
            </li>
          );
        })}
      </ul>
      <div className="mt-3 flex items-center gap-2">
        <Button type="button" variant="primary" onClick={save} disabled={pending}>{role ? `Save ${role.name}` : "Create role"}</Button>
        {role ? <Button type="button" onClick={remove} disabled={pending}>Delete role {role.name}</Button> : null}
        {message ? <span role={message.tone === "error" ? "alert" : "status"} className={message.tone === "error" ? "text-danger" : "text-ok"}>{message.text}</span> : null}
      </div>
    </fieldset>
  );
}
