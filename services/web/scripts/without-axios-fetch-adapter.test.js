import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";
import { describe, expect, it } from "vitest";
import { withoutAxiosFetchAdapter } from "./without-axios-fetch-adapter.mjs";

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// Only Axios's fetch adapter says this (lib/adapters/fetch.js).
const FETCH_ADAPTER_TEXT = "Stream request bodies are not supported";

/** A browser bundle of `code` (an entry module in this project, so "axios" resolves here), as text. */
async function bundle(code, plugins) {
  const entry = path.join(project, "without-axios-fetch-adapter-entry.js");
  const virtualEntry = {
    name: "entry",
    resolveId: (id) => (id === entry ? id : null),
    load: (id) => (id === entry ? code : null),
  };
  const result = await build({
    input: entry,
    cwd: project,
    platform: "browser",
    plugins: [virtualEntry, ...plugins],
    write: false,
    logLevel: "silent",
  });
  return result.output[0].code;
}

/** Runs a bundle as a module (jsdom has XMLHttpRequest) and returns its exports. */
async function run(code) {
  return import(/* @vite-ignore */ `data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
}

describe("withoutAxiosFetchAdapter", () => {
  it("is for the production build only: tests and the dev server keep the whole of Axios", () => {
    expect(withoutAxiosFetchAdapter().apply).toBe("build");
  });

  it("leaves the fetch adapter out, and Axios says it is not in the build; XMLHttpRequest stays", async () => {
    const entry = 'export { default } from "axios";';
    expect(await bundle(entry, [])).toContain(FETCH_ADAPTER_TEXT);

    const code = await bundle(entry, [withoutAxiosFetchAdapter()]);
    expect(code).not.toContain(FETCH_ADAPTER_TEXT);
    const { default: axios } = await run(code);
    expect(() => axios.getAdapter("fetch")).toThrow(/adapter fetch is not available in the build/);
    expect(axios.getAdapter("xhr")).toBeTypeOf("function");
    // Axios's own order, as the app would get it without naming an adapter.
    expect(axios.getAdapter(axios.defaults.adapter).adapterName).toBe("xhr");
  });

  it("fails the build when Axios has no fetch adapter any more", async () => {
    await expect(bundle("export default 1;", [withoutAxiosFetchAdapter()])).rejects.toThrow(
      /axios\/lib\/adapters\/fetch\.js was not in the build/,
    );
  });
});
