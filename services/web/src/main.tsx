import { createRoot } from "react-dom/client";
import { App } from "./app/index";
import { initI18n } from "./lib/i18n";
import "./index.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
// The first page is rendered in its language: a German visitor waits for the German catalogues
// (two small chunks) rather than seeing English first. A catalogue that fails to load leaves
// English, the fallback.
void initI18n().finally(() => createRoot(root).render(<App />));
