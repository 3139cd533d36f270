import { Link } from "react-router-dom";

export function Layout({ children }) {
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
