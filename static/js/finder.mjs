// The finder's form always shows the results it sits above. When a visitor comes back with
// the Back button, the browser may restore boxes they ticked or typed in before leaving;
// resetting puts back the values the server rendered for these results.
const form = document.querySelector("[data-finder-form]");

if (form) {
  window.addEventListener("pageshow", () => form.reset());
}
