import { describe, expect, it } from "vitest";
import { pageCount } from "./pagination";

const rows = (n: number) => Array.from({ length: n }, (_, i) => i);
const next = "http://x/api/admin/users/?page=2";

describe("pageCount", () => {
  it("reads the page size from a full page", () => {
    expect(pageCount({ count: 45, next, results: rows(20) }, 1)).toBe(3);
    expect(pageCount({ count: 40, next, results: rows(20) }, 1)).toBe(2);
    // Whatever size the API uses.
    expect(pageCount({ count: 25, next, results: rows(10) }, 2)).toBe(3);
  });

  it("takes a page without a next one as the last", () => {
    expect(pageCount({ count: 45, next: null, results: rows(5) }, 3)).toBe(3);
    expect(pageCount({ count: 3, next: null, results: rows(3) }, 1)).toBe(1);
  });

  it("says one page for an empty list", () => {
    expect(pageCount({ count: 0, next: null, results: [] }, 1)).toBe(1);
  });

  it("never says fewer pages than the one shown and the next", () => {
    expect(pageCount({ count: 0, next, results: [] }, 4)).toBe(5);
    expect(pageCount({ count: 10, next, results: rows(20) }, 2)).toBe(3);
  });
});
