/**
 * Saves `content` as a file named `name`, made in the browser (a Blob behind an object URL and a
 * temporary <a download>): nothing is sent anywhere. The URL is revoked afterwards.
 */
export function downloadFile(name: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.rel = "noopener";
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the URL after click() returns: let them, then free it.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
