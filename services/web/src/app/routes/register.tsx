import { Link, useNavigate } from "react-router-dom";
import { Page } from "../../components/page";
import { RegisterForm } from "../../features/auth/components/register-form";

export function RegisterRoute() {
  const navigate = useNavigate();
  return (
    <Page title="Create your account">
      <h1>Create your account</h1>
      <RegisterForm onSuccess={(email) => void navigate("/check-email", { state: { email } })} />
      <p className="aside">
        Already have an account? <Link to="/login">Log in</Link>
      </p>
    </Page>
  );
}
