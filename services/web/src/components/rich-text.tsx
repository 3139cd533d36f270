import { cloneElement, Fragment, type ReactElement, type ReactNode } from "react";

// <name>words</name> or <name/>: a name is a word, and tags are not nested.
const TAG = /<(\w+)>(.*?)<\/\1>|<(\w+)\s*\/>/g;

export interface RichTextProps {
  /** A translated sentence: "<profile>Edit your profile</profile> or …", "We sent it to <email/>." */
  text: string;
  /**
   * What each tag is: <name>words</name> becomes the element with the words as its children,
   * <name/> the element as it is (e.g. <strong>{email}</strong>). A tag not named here stays text.
   */
  elements: Readonly<Record<string, ReactElement>>;
}

/**
 * A sentence with links or emphasis inside it, translated whole so each language can order it
 * its own way. Values typed by users go in as elements (<email/>), never into the text that is
 * parsed. react-i18next's <Trans> does this and more, but the app does without react-i18next
 * (lib/use-translation.ts) to keep the first load small (scripts/first-load-size.mjs); the pages
 * only need named tags, not nested.
 */
export function RichText({ text, elements }: RichTextProps) {
  const named = new Map(Object.entries(elements));
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(TAG)) {
    const [whole, name = "", words, selfClosing = ""] = match;
    const element = named.get(name || selfClosing);
    if (!element) continue;
    parts.push(text.slice(last, match.index));
    parts.push(name ? cloneElement(element, undefined, words) : element);
    last = match.index + whole.length;
  }
  parts.push(text.slice(last));
  return (
    <>
      {parts.map((part, index) => (
        <Fragment key={index}>{part}</Fragment>
      ))}
    </>
  );
}
