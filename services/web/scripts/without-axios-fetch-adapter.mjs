// A Vite plugin for the production build: Axios without its fetch adapter. The app sends every
// request with XMLHttpRequest (lib/api-client.ts names the "xhr" adapter), so the fetch adapter
// and the helpers only it uses would be about 5 KB gzipped of the first load that never runs.
// Axios leaves its Node adapter out of browser builds the same way: the "browser" field of its
// package.json maps lib/adapters/http.js to a module that exports null, which axios.getAdapter()
// reports as "not available in the build". The build fails when Axios no longer has the file, so
// an upgrade that moves it cannot bring it back unnoticed.
//
//   plugins: [withoutAxiosFetchAdapter()]   (vite.config.js)

/** Axios's fetch adapter, wherever node_modules is. */
export const AXIOS_FETCH_ADAPTER = /[\\/]node_modules[\\/]axios[\\/]lib[\\/]adapters[\\/]fetch\.js$/;

/** What the module becomes: what lib/adapters/adapters.js imports from it, as "not in the build". */
export const NO_FETCH_ADAPTER = "export const getFetch = () => null;\nexport default null;\n";

export function withoutAxiosFetchAdapter() {
  let replaced = false;
  return {
    name: "without-axios-fetch-adapter",
    apply: "build",
    buildStart() {
      replaced = false;
    },
    load(id) {
      if (!AXIOS_FETCH_ADAPTER.test(id)) return null;
      replaced = true;
      return NO_FETCH_ADAPTER;
    },
    buildEnd(error) {
      if (error || replaced) return;
      this.error(
        "without-axios-fetch-adapter: axios/lib/adapters/fetch.js was not in the build; Axios has " +
          "changed, so check what it bundles now and update or remove this plugin (vite.config.js)",
      );
    },
  };
}
