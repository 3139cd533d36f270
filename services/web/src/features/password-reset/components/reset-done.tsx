import { Link } from "react-router-dom";

/** What both ways of resetting end on. */
export function ResetDone({ detail }: { detail: string | null | undefined }) {
  return (
    <>
      <h1>Password reset</h1>
      <p role="status">{detail || "Your password has been reset. You can log in now."}</p>
      <p>
        <Link to="/login">Log in</Link>
      </p>
    </>
  );
}
