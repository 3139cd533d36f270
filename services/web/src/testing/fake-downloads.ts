// jsdom has no object URLs and does not download. Call recordDownloads() in a test file: before
// every test it records what would have been saved (the Blob, the link's name) and revoked.
import { afterEach, beforeEach, vi } from "vitest";

export interface Download {
  href: string;
  download: string;
  blob: Blob | undefined;
}

export function recordDownloads() {
  const blobs = new Map<string, Blob>();
  const downloads: Download[] = [];
  const revoked: string[] = [];

  beforeEach(() => {
    blobs.clear();
    downloads.length = 0;
    revoked.length = 0;
    URL.createObjectURL = vi.fn((blob: Blob) => {
      const url = `blob:http://localhost/${blobs.size + 1}`;
      blobs.set(url, blob);
      return url;
    });
    URL.revokeObjectURL = vi.fn((url: string) => {
      revoked.push(url);
    });
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push({ href: this.href, download: this.download, blob: blobs.get(this.href) });
    });
  });

  afterEach(() => {
    Reflect.deleteProperty(URL, "createObjectURL");
    Reflect.deleteProperty(URL, "revokeObjectURL");
  });

  return { downloads, revoked };
}
