import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { withoutAxiosFetchAdapter } from "./scripts/without-axios-fetch-adapter.mjs";

export default defineConfig({
  plugins: [react(), withoutAxiosFetchAdapter()],
  build: {
    outDir: "dist",
    sourcemap: false,
    rolldownOptions: {
      output: {
        // What the first page needs is one chunk, the entry. Left to itself Rolldown gives every
        // module that a lazy page shares with the entry (React, i18next, Axios, the api client)
        // chunks of their own, which the browser fetches at start all the same: five files that
        // compress worse apart than together (about 1.8 KB gzipped more) and take more requests.
        // `$initial` is every module the entry imports statically; the lazy pages import them
        // from the entry chunk.
        codeSplitting: { groups: [{ name: "first-load", tags: ["$initial"] }] },
      },
    },
  },
  // `npm run dev` serves the app on :5173 and hands /api to the running gateway (make run).
  server: { proxy: { "/api": "http://127.0.0.1:8080" } },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/testing/setup.ts"],
    restoreMocks: true,
    unstubGlobals: true,
  },
});
