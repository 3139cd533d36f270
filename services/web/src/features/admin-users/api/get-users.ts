import { api } from "../../../lib/api-client";
import type { AdminUser, Page } from "../../../lib/api-types";

export interface UsersQuery {
  search?: string;
  page?: number;
}

/**
 * GET /api/admin/users/?search=&page= → {count, next, previous, results}, in pages of the API's
 * size (lib/pagination.ts reads it from the answer), search on email and username. 403 permission_denied without the admin permissions.
 */
export async function getUsers({ search = "", page = 1 }: UsersQuery = {}): Promise<Page<AdminUser>> {
  const params: { page: number; search?: string } = { page };
  if (search.trim()) params.search = search.trim();
  const response = await api.get<Partial<Page<AdminUser>> | null>("/admin/users/", { params });
  const data = response.data ?? {};
  return {
    count: Number(data.count) || 0,
    next: data.next ?? null,
    previous: data.previous ?? null,
    results: Array.isArray(data.results) ? data.results : [],
  };
}
