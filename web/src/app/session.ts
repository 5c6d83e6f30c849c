import { create } from 'zustand';
import type { Role, WorkspaceSummary } from '@waymark/shared';
import { api, ApiFailure } from '../api/client.ts';

const rank: Record<Role, number> = { viewer: 0, editor: 1, publisher: 2, owner: 3 };

interface Session {
  status: 'loading' | 'signed-out' | 'signed-in';
  email: string | null;
  workspace: WorkspaceSummary | null;
  load(): Promise<void>;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

/** Who is signed in and in which workspace, with their role there. */
export const useSession = create<Session>()((set) => ({
  status: 'loading',
  email: null,
  workspace: null,
  async load() {
    try {
      const me = await api<{ email: string }>('GET', '/api/me');
      const workspaces = await api<WorkspaceSummary[]>('GET', '/api/workspaces');
      set({ status: 'signed-in', email: me.email, workspace: workspaces[0] ?? null });
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 401) set({ status: 'signed-out', email: null, workspace: null });
      else throw error;
    }
  },
  async signIn(email, password) {
    await api('POST', '/api/sessions', { email, password });
    await useSession.getState().load();
  },
  async signOut() {
    await api('DELETE', '/api/sessions').catch(() => {});
    set({ status: 'signed-out', email: null, workspace: null });
  },
}));

/** Whether the signed-in person's role is at least `role` in the current workspace. */
export function can(workspace: WorkspaceSummary | null, role: Role): boolean {
  return workspace !== null && rank[workspace.role] >= rank[role];
}
