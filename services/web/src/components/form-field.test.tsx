import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { FormField } from "./form-field";

describe("FormField", () => {
  it("ties the label, the hint and the errors to the input", () => {
    render(<FormField label="Password" name="password" type="password" hint="At least 12 characters."
      errors={["This password is too short."]} value="" onChange={() => {}} />);
    const input = screen.getByLabelText("Password");
    expect(input).toHaveAttribute("name", "password");
    expect(input).toHaveAttribute("type", "password");
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(input).toHaveAccessibleDescription("This password is too short. At least 12 characters.");
  });

  it("is not marked invalid without errors", () => {
    render(<FormField label="Email" name="email" value="" onChange={() => {}} />);
    const input = screen.getByLabelText("Email");
    expect(input).not.toHaveAttribute("aria-invalid");
    expect(input).not.toHaveAttribute("aria-describedby");
  });
});
