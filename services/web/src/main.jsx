import { createRoot } from "react-dom/client";
import { App } from "./app/index.jsx";
import "./index.css";

createRoot(document.getElementById("root")).render(<App />);
