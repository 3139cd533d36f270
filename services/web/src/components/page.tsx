import type { ReactNode } from "react";

interface PageProps {
  title: string;
  wide?: boolean | "full";
  children?: ReactNode;
}

/**
 * The card every page sits in, with the document title kept in step (React 19 hoists <title>).
 * `wide` makes room for details (true) or tables ("full").
 */
export function Page({ title, wide = false, children }: PageProps) {
  const className = wide === "full" ? "card full" : wide ? "card wide" : "card";
  return (
    <main className={className}>
      <title>{`${title} · Auth Platform`}</title>
      {children}
    </main>
  );
}
