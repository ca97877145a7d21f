// Progressive enhancement only: every page works without this file. It does what the NHS.UK
// template's inline script would (a strict CSP forbids inline scripts), then starts the
// NHS.UK components.
import { initAll } from "/nhsuk/nhsuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype)
  document.body.classList.add("nhsuk-frontend-supported");
initAll();
