// The reply box's character count, after GOV.UK Frontend's Character count: the hint says
// the limit, and while typing a polite live region says how many characters are left. The
// server checks the length too, so nothing depends on this script.
document.querySelectorAll(".app-character-count").forEach((group) => {
  const textarea = group.querySelector("textarea");
  const limit = Number(group.dataset.maxlength);
  if (!textarea || !limit) return;
  const hint = group.querySelector(".app-character-count__message");
  const status = document.createElement("div");
  status.className = "help app-character-count__status";
  status.setAttribute("aria-live", "polite");
  hint.after(status);
  hint.classList.add("visually-hidden");
  let timer;
  const update = () => {
    const left = limit - textarea.value.length;
    const count = Math.abs(left);
    const characters = count === 1 ? "character" : "characters";
    status.textContent =
      left >= 0 ? `You have ${count} ${characters} remaining` : `You have ${count} ${characters} too many`;
    status.classList.toggle("app-character-count__status--error", left < 0);
    textarea.toggleAttribute("aria-invalid", left < 0);
  };
  textarea.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(update, 300);
  });
  update();
});
