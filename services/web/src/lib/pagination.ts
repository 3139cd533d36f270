import type { Page } from "./api-types";

/**
 * How many pages a paginated list has, from one of its answers alone (`page` is the page that
 * answer is): a page followed by another is full, so its length is the API's page size; a page
 * with no next one is the last. No copy of the page size is needed.
 */
export function pageCount(answer: Pick<Page<unknown>, "count" | "next" | "results">, page: number): number {
  if (!answer.next) return Math.max(1, page);
  const size = answer.results.length;
  if (size === 0) return page + 1;
  return Math.max(page + 1, Math.ceil(answer.count / size));
}
