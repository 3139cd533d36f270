import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { RichText } from "./rich-text";

describe("RichText", () => {
  it("puts each tag's words into its element, in the sentence's order", () => {
    const { container } = render(
      <p>
        <RichText text="<b>Bearbeiten</b> Sie Ihr Profil oder gehen Sie zu den <a>Einstellungen</a>."
          elements={{ a: <a href="/security" />, b: <em /> }} />
      </p>,
    );
    expect(container.querySelector("p")?.innerHTML).toBe(
      '<em>Bearbeiten</em> Sie Ihr Profil oder gehen Sie zu den <a href="/security">Einstellungen</a>.',
    );
  });

  it("puts an element as it is for a self-closing tag, so a typed value is never parsed", () => {
    render(<RichText text="We sent it to <email/>. Open it." elements={{ email: <strong>{"<b>x</b>@example.com"}</strong> }} />);
    expect(screen.getByText("<b>x</b>@example.com").tagName).toBe("STRONG");
  });

  it("leaves a tag it was not given as text", () => {
    const { container } = render(<RichText text="a <x>b</x> c <y/>" elements={{}} />);
    expect(container.textContent).toBe("a <x>b</x> c <y/>");
  });
});
