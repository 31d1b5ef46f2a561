// "Is this page useful?" (templates/includes/feedback.html): "No" and "Report a problem with
// this page" open the short form in place instead of on a page of its own. The form still
// sends an ordinary POST, so what happens next is the same with JavaScript or without.
const root = document.querySelector('[data-module="app-page-feedback"]');

if (root) {
  const prompt = root.querySelector(".app-page-feedback__prompt");
  const form = root.querySelector(".app-page-feedback__form");
  const heading = form.querySelector(".app-page-feedback__heading");
  const answer = form.querySelector('input[name="answer"]');
  const optional = form.querySelector(".app-page-feedback__optional");
  const openers = [
    [prompt.querySelector('button[value="no"]'), "no"],
    [prompt.querySelector(".app-page-feedback__report"), "problem"],
  ];
  let opener = null;

  for (const [control, value] of openers) {
    control.setAttribute("aria-controls", form.id);
    control.setAttribute("aria-expanded", "false");
    control.addEventListener("click", (event) => {
      event.preventDefault();
      opener = control;
      answer.value = value;
      heading.textContent = form.dataset[value === "no" ? "headingNo" : "headingProblem"];
      optional.hidden = value !== "no";
      control.setAttribute("aria-expanded", "true");
      prompt.hidden = true;
      form.hidden = false;
      heading.focus();
    });
  }

  form.querySelector(".app-page-feedback__cancel").addEventListener("click", () => {
    form.hidden = true;
    prompt.hidden = false;
    if (opener) {
      opener.setAttribute("aria-expanded", "false");
      opener.focus();
    }
  });
}
