/** The card every page sits in, with the document title kept in step (React 19 hoists <title>). */
export function Page({ title, wide = false, children }) {
  return (
    <main className={wide ? "card wide" : "card"}>
      <title>{`${title} · Auth Platform`}</title>
      {children}
    </main>
  );
}
