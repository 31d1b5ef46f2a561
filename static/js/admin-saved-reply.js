// Choosing a saved reply puts its text in the reply box at once, as "Use this saved reply"
// does without JavaScript. A box the handler has already written in is never overwritten.
document.querySelectorAll("select[data-fills]").forEach((select) => {
  const box = document.getElementById(select.dataset.fills);
  if (!box) return;
  let inserted = null;
  select.addEventListener("change", () => {
    const text = select.selectedOptions[0]?.dataset.text;
    if (text === undefined) return;
    if (box.value.trim() && box.value !== inserted) return;
    box.value = text;
    inserted = text;
    box.dispatchEvent(new Event("input"));
  });
});
