// The app's React binding to i18next (lib/i18n.ts), in place of react-i18next: of that library
// the app used only useTranslation(namespace, {keyPrefix}) with Suspense, and it cost about 2 KB
// gzipped of the first load (scripts/first-load-size.mjs). A component renders again when the
// language changes or a catalogue comes in, and suspends (its <Suspense> shows "Loading…") while
// its namespace is not loaded in the page's language.
import type { DefaultNamespace, FlatNamespace, KeyPrefix, TFunction } from "i18next";
import { useMemo, useSyncExternalStore } from "react";
import { DEFAULT_NAMESPACE, i18n } from "./i18n";

// Every change of what t() answers bumps the revision; useSyncExternalStore renders each
// subscribed component again when it moves. Counted from the start, so a change that happens
// between a component's render and its subscription is not missed.
let revision = 0;
const listeners = new Set<() => void>();

function translationsChanged(): void {
  revision += 1;
  for (const listener of listeners) listener();
}

i18n.on("languageChanged", translationsChanged);
// A catalogue fetched by the backend ("loaded"), or added by hand ("added", on the store that
// i18next makes when it starts, before anything renders).
i18n.on("loaded", translationsChanged);
let watchingStore = false;

function subscribe(listener: () => void): () => void {
  if (!watchingStore) {
    i18n.store.on("added", translationsChanged);
    watchingStore = true;
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const currentRevision = () => revision;

export interface Translation<Ns extends FlatNamespace, KPrefix extends KeyPrefix<Ns>> {
  /** Keys of `namespace` under `keyPrefix`, in the page's language; typed from the English catalogues. */
  t: TFunction<Ns, KPrefix>;
  i18n: typeof i18n;
}

/**
 * `const { t } = useTranslation("mfa", { keyPrefix: "passkeys" })`: t() of one namespace
 * (`common` when none is named), as react-i18next's hook gives it. A new `t` after every change,
 * so memoized children render again too.
 */
export function useTranslation<
  const Ns extends FlatNamespace = DefaultNamespace,
  const KPrefix extends KeyPrefix<Ns> = undefined,
>(namespace?: Ns, options: { keyPrefix?: KPrefix } = {}): Translation<Ns, KPrefix> {
  const ns = namespace ?? (DEFAULT_NAMESPACE as Ns);
  const { keyPrefix } = options;
  const seen = useSyncExternalStore(subscribe, currentRevision);
  const t = useMemo(
    () => i18n.getFixedT<Ns, KPrefix, Ns>(null, ns, keyPrefix),
    // `seen` is what changes when the language or the catalogues do.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [ns, keyPrefix, seen],
  );
  // Not loaded yet: wait for it in the nearest <Suspense>. loadNamespaces also adds it to the
  // namespaces a language switch loads before it switches. A catalogue that fails to load counts
  // as loaded (i18next falls back to English), so this never waits for ever.
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- a thrown promise is how a component suspends
  if (!i18n.hasLoadedNamespace(ns)) throw i18n.loadNamespaces(ns);
  return { t, i18n };
}
