// First-load JavaScript budget: what the browser must download before it can render the first
// page, i.e. the entry script in dist/index.html, every chunk it modulepreloads, and every chunk
// those import statically (transitively). Dynamic import("./x.js") chunks load on demand and are
// not counted. Prints one JSON line; exits 1 when the gzipped total (level 9) is over the budget,
// 2 when there is nothing to measure (no build, a bad argument).
//
//   node scripts/first-load-size.mjs [--budget <bytes>] [--dist <dir>]
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { constants, gzipSync } from "node:zlib";

export const DEFAULT_BUDGET_BYTES = 102400;

const TAG = /<(script|link)\b([^>]*)>/gi;
const TYPE_MODULE = /\stype\s*=\s*["']?module["'\s/]/i;
const REL_MODULEPRELOAD = /\srel\s*=\s*["']?[^"'>]*\bmodulepreload\b/i;
const SRC = /\ssrc\s*=\s*["']?([^"'\s>]+)/i;
const HREF = /\shref\s*=\s*["']?([^"'\s>]+)/i;

/** The URLs index.html makes the browser fetch as JavaScript modules right away, in order. */
export function entryUrls(html) {
  const urls = [];
  for (const [, tag, attributes] of html.matchAll(TAG)) {
    const text = `${attributes} `;
    const url =
      tag.toLowerCase() === "script"
        ? TYPE_MODULE.test(text) && text.match(SRC)?.[1]
        : REL_MODULEPRELOAD.test(text) && text.match(HREF)?.[1];
    if (url) urls.push(url);
  }
  return urls;
}

// What a bundler writes for a static import: `import"./a.js"`, `import{x as y}from"./a.js"`,
// `import a,{b}from"./a.js"`, `import*as a from"./a.js"`, `export{x}from"./a.js"`, `export*from"./a.js"`.
// Not `import("./a.js")` (dynamic: loaded on demand), not `x.import` (the lookbehind), and only
// relative specifiers: chunks import chunks.
const SIDE_EFFECT_IMPORT = /(?<![\w$.])import\s*(["'])(\.{1,2}\/[^"']+)\1/g;
const FROM_IMPORT = /(?<![\w$.])(?:import|export)[\s\w$,*{}]*?\bfrom\s*(["'])(\.{1,2}\/[^"']+)\1/g;

/** The relative specifiers a built chunk imports statically, in order of appearance. */
export function staticImports(code) {
  return [...code.matchAll(SIDE_EFFECT_IMPORT), ...code.matchAll(FROM_IMPORT)]
    .sort((a, b) => a.index - b.index)
    .map((match) => match[2]);
}

/** Maps a URL from index.html (`/assets/x.js`, `./assets/x.js`, `assets/x.js`) to a path under dist. */
function fromUrl(url, distDir) {
  if (/^[a-z][a-z\d+.-]*:|^\/\//i.test(url)) {
    throw new Error(`first-load-size: ${url} is not served from dist/, so it cannot be measured`);
  }
  const pathname = url.split(/[?#]/)[0];
  return inside(distDir, path.resolve(distDir, pathname.replace(/^\/+/, "")));
}

/** Refuses paths that escape distDir, so the script only ever reads the build output. */
function inside(distDir, file) {
  const relative = path.relative(distDir, file);
  if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) {
    throw new Error(`first-load-size: ${file} is outside ${distDir}`);
  }
  return file;
}

function readBuildFile(file, encoding) {
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- a build output under dist/: inside() refuses anything else
    return readFileSync(file, encoding);
  } catch (error) {
    if (error.code !== "ENOENT") throw error;
    throw new Error(`first-load-size: ${file} does not exist (run npm run build first)`, { cause: error });
  }
}

/**
 * Every file counted as first-load JavaScript, entry first, each once:
 * [{file: "assets/index-abc.js", bytes, gzip_bytes}] with gzip at level 9.
 */
export function collectFirstLoad(distDir) {
  const root = path.resolve(distDir);
  const html = readBuildFile(path.join(root, "index.html"), "utf8");
  const seen = new Set();
  const files = [];
  const queue = entryUrls(html).map((url) => fromUrl(url, root));
  while (queue.length > 0) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    const content = readBuildFile(file);
    files.push({
      file: path.relative(root, file).split(path.sep).join("/"),
      bytes: content.length,
      gzip_bytes: gzipSync(content, { level: constants.Z_BEST_COMPRESSION }).length,
    });
    for (const specifier of staticImports(content.toString("utf8"))) {
      queue.push(inside(root, path.resolve(path.dirname(file), specifier)));
    }
  }
  return files;
}

/** {files, total_gzip_bytes, budget_bytes} for the build in distDir. */
export function measureFirstLoad(distDir, budgetBytes = DEFAULT_BUDGET_BYTES) {
  const files = collectFirstLoad(distDir);
  const total = files.reduce((sum, file) => sum + file.gzip_bytes, 0);
  return { files, total_gzip_bytes: total, budget_bytes: budgetBytes };
}

/** null when the report is within budget, otherwise the line to print on stderr. */
export function overBudget(report) {
  if (report.total_gzip_bytes <= report.budget_bytes) return null;
  const excess = report.total_gzip_bytes - report.budget_bytes;
  return (
    `first-load JavaScript is ${report.total_gzip_bytes} bytes gzipped, ${excess} over the budget of ` +
    `${report.budget_bytes} bytes: lazy-load more pages (src/app/router.tsx) or drop weight from the entry chunk`
  );
}

export function parseArgs(argv) {
  const options = { budget: DEFAULT_BUDGET_BYTES, dist: "dist" };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, value] = [argv.at(i), argv.at(i + 1)];
    if (flag === "--budget" && /^\d+$/.test(value ?? "")) options.budget = Number(value);
    else if (flag === "--dist" && value) options.dist = value;
    else throw new Error(`usage: first-load-size.mjs [--budget <bytes>] [--dist <dir>] (bad argument: ${flag})`);
    i += 1;
  }
  return options;
}

function main() {
  const here = path.dirname(fileURLToPath(import.meta.url));
  try {
    const options = parseArgs(process.argv.slice(2));
    const report = measureFirstLoad(path.resolve(here, "..", options.dist), options.budget);
    console.log(JSON.stringify(report));
    const problem = overBudget(report);
    if (problem) {
      console.error(problem);
      process.exitCode = 1;
    }
  } catch (error) {
    console.error(error.message);
    process.exitCode = 2;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
