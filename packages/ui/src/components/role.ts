/** The role of this tab's token (from /api/health), asked once per page load. */
import { useEffect, useState } from 'react';
import { get } from '../api';

export type Role = 'operator' | 'viewer';

let asked: Promise<Role | undefined> | undefined;

export function useRole(): Role | undefined {
  const [role, setRole] = useState<Role>();
  useEffect(() => {
    asked ??= get<{ role: Role }>('/api/health').then(
      (body) => body.role,
      () => undefined,
    );
    let live = true;
    void asked.then((value) => {
      if (live) setRole(value);
    });
    return () => {
      live = false;
    };
  }, []);
  return role;
}

/** Whether the role may launch, cancel, pause and resume. */
export const canOperate = (role: Role | undefined) => role === 'operator';
