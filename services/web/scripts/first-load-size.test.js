import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collectFirstLoad, entryUrls, measureFirstLoad, overBudget, staticImports } from "./first-load-size.mjs";

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), "first-load-size.mjs");

// A miniature Vite build: the entry imports a vendor chunk (also modulepreloaded), a shared chunk
// and a re-export statically, and a lazy page dynamically; the lazy page has a static import of
// its own. Only the first four are first-load JavaScript.
const fixture = {
  "index.html": `<!doctype html>
<html lang="en">
  <head>
    <script type="module" crossorigin src="/assets/index-a1.js"></script>
    <link rel="modulepreload" crossorigin href="/assets/vendor-b2.js">
    <link rel="stylesheet" crossorigin href="/assets/index-c3.css">
  </head>
  <body><div id="root"></div></body>
</html>`,
  "assets/index-a1.js":
    'const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["assets/lazy-e5.js","assets/lazy-only-f6.js"])))=>i.map(i=>d[i]);' +
    'import{a as e}from"./vendor-b2.js";import"./shared-d4.js";export{x}from"./reexport-g7.js";' +
    'const l=()=>import("./lazy-e5.js");console.log(e,l);',
  "assets/vendor-b2.js": 'import{s as t}from"./shared-d4.js";export const a="vendor code ".repeat(50)+t;',
  "assets/shared-d4.js": "export const s=1;",
  "assets/reexport-g7.js": "export const x=2;",
  "assets/lazy-e5.js": 'import{s}from"./shared-d4.js";import"./lazy-only-f6.js";export default s;',
  "assets/lazy-only-f6.js": "export const lazyOnly=3;",
  "assets/unused-h8.js": "export const unused=4;",
  "assets/index-c3.css": "body{margin:0}",
};

const firstLoad = ["assets/index-a1.js", "assets/vendor-b2.js", "assets/shared-d4.js", "assets/reexport-g7.js"];

let dist;
beforeEach(() => {
  dist = mkdtempSync(path.join(tmpdir(), "first-load-size-"));
  for (const [name, content] of Object.entries(fixture)) {
    mkdirSync(path.dirname(path.join(dist, name)), { recursive: true });
    writeFileSync(path.join(dist, name), content);
  }
});
afterEach(() => rmSync(dist, { recursive: true, force: true }));

const gzipSize = (name) => gzipSync(readFileSync(path.join(dist, name)), { level: 9 }).length;

describe("first-load-size", () => {
  it("counts the entry, the modulepreloads and their static imports, each once, and nothing lazy", () => {
    const files = collectFirstLoad(dist);
    expect(files.map((file) => file.file)).toEqual(firstLoad);
    for (const file of files) {
      expect(file.bytes).toBe(readFileSync(path.join(dist, file.file)).length);
      expect(file.gzip_bytes).toBe(gzipSize(file.file));
    }
  });

  it("totals the gzip sizes against the budget", () => {
    const total = firstLoad.map(gzipSize).reduce((sum, size) => sum + size, 0);
    const report = measureFirstLoad(dist);
    expect(report.total_gzip_bytes).toBe(total);
    expect(report.budget_bytes).toBe(102400);
    expect(overBudget(report)).toBeNull();
    expect(overBudget(measureFirstLoad(dist, total))).toBeNull();
    expect(overBudget(measureFirstLoad(dist, total - 1))).toBe(
      `first-load JavaScript is ${total} bytes gzipped, 1 over the budget of ${total - 1} bytes: ` +
        "lazy-load more pages (src/app/router.tsx) or drop weight from the entry chunk",
    );
  });

  it("exits 1 with the reason on stderr when over the budget, 0 otherwise", () => {
    const run = (...args) => spawnSync(process.execPath, [script, "--dist", dist, ...args], { encoding: "utf8" });
    const within = run();
    expect(within.status).toBe(0);
    const report = JSON.parse(within.stdout);
    expect(report.files.map((file) => file.file)).toEqual(firstLoad);
    expect(report.budget_bytes).toBe(102400);

    const over = run("--budget", "100");
    expect(over.status).toBe(1);
    expect(JSON.parse(over.stdout).budget_bytes).toBe(100);
    expect(over.stderr).toContain(`first-load JavaScript is ${report.total_gzip_bytes} bytes gzipped`);
    expect(over.stderr).toContain("over the budget of 100 bytes");
  });

  it("fails clearly when there is no build to measure", () => {
    rmSync(path.join(dist, "index.html"));
    expect(() => collectFirstLoad(dist)).toThrow(/index\.html does not exist \(run npm run build first\)/);
  });

  it("reads script and link tags in any attribute order, and only module ones", () => {
    const html = `
      <link href="/assets/b.js" rel="modulepreload" crossorigin>
      <script src="/assets/a.js" type="module"></script>
      <script src="/assets/classic-data.js" type="text/plain"></script>
      <link rel="stylesheet" href="/assets/a.css">
      <link rel="preload" as="font" href="/assets/f.woff2">`;
    expect(entryUrls(html)).toEqual(["/assets/b.js", "/assets/a.js"]);
  });

  it("follows every static import form a bundler writes, never a dynamic import", () => {
    const code = [
      'import"./side.js";',
      'import{a as b,c}from"./named.js";',
      'import d,{e}from "./default-and-named.js";',
      'import*as f from"./namespace.js";',
      'export{g}from"../up.js";',
      'export*from"./star.js";',
      'const h=()=>import("./dynamic.js");',
      'const i=x.import("./method.js");',
      'import{j}from"react";',
    ].join("");
    expect(staticImports(code)).toEqual([
      "./side.js",
      "./named.js",
      "./default-and-named.js",
      "./namespace.js",
      "../up.js",
      "./star.js",
    ]);
  });
});
