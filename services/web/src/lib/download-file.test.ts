import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { defined } from "../testing/defined";
import { downloadFile } from "./download-file";

describe("downloadFile", () => {
  const blobs: Blob[] = [];
  const revoked: string[] = [];

  beforeEach(() => {
    blobs.length = 0;
    revoked.length = 0;
    vi.useFakeTimers();
    // jsdom has no object URLs and does not download.
    URL.createObjectURL = vi.fn((blob: Blob) => {
      blobs.push(blob);
      return "blob:http://localhost/file";
    });
    URL.revokeObjectURL = vi.fn((url: string) => {
      revoked.push(url);
    });
  });

  afterEach(() => {
    vi.useRealTimers();
    Reflect.deleteProperty(URL, "createObjectURL");
    Reflect.deleteProperty(URL, "revokeObjectURL");
  });

  it("clicks a temporary download link to a Blob of the content, then revokes its URL", async () => {
    const clicked: { href: string; download: string; attached: boolean }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download, attached: document.body.contains(this) });
    });
    downloadFile("notes.txt", "hello\n", "text/plain;charset=utf-8");
    expect(clicked).toEqual([{ href: "blob:http://localhost/file", download: "notes.txt", attached: true }]);
    expect(document.querySelector("a")).toBeNull();
    const blob = defined(blobs[0], "the file");
    expect(blob.type).toBe("text/plain;charset=utf-8");
    expect(await blob.text()).toBe("hello\n");
    expect(revoked).toEqual([]);
    vi.advanceTimersByTime(10_000);
    expect(revoked).toEqual(["blob:http://localhost/file"]);
  });
});
