import type { ReactNode } from "react";
import { Link } from "react-router-dom";

/** The page around every route: the header (the brand, then `headerEnd`, e.g. the language switch) and the content. */
export function Layout({ headerEnd, children }: { headerEnd?: ReactNode; children?: ReactNode }) {
  return (
    <div className="layout">
      <header className="site-header">
        <Link to="/" className="brand">
          Auth Platform
        </Link>
        {headerEnd}
      </header>
      {children}
    </div>
  );
}
