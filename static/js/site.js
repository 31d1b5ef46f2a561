// The site's one entry script, loaded as a module from the page head (deferred, so it never
// blocks the first paint). Browsers without module support never run it and keep the plain,
// fully working pages. The classes below are what GOV.UK Frontend's styles and initAll() look
// for; setting them here rather than in an inline script lets the Content-Security-Policy
// allow scripts from this site only, with no per-request nonce, so pages can be cached.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
