import type { ReactNode } from "react";
import { Link } from "react-router-dom";

export function Layout({ children }: { children?: ReactNode }) {
  return (
    <div className="layout">
      <header className="site-header">
        <Link to="/" className="brand">
          Auth Platform
        </Link>
      </header>
      {children}
    </div>
  );
}
