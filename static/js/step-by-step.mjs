// Step-by-step navigation: each step title becomes a show/hide button, with "Show all steps".
// Without this script every step stays open. Open steps are remembered for the visit.

const STORAGE_PREFIX = "app-step-nav:";

function readState(key) {
  try {
    const stored = window.sessionStorage.getItem(STORAGE_PREFIX + key);
    const ids = stored ? JSON.parse(stored) : null;
    return Array.isArray(ids) ? ids : null;
  } catch {
    // Storage can be switched off or full; the steps then simply start closed.
    return null;
  }
}

function writeState(key, ids) {
  try {
    window.sessionStorage.setItem(STORAGE_PREFIX + key, JSON.stringify(ids));
  } catch {
    // As above: without storage the state lasts until the page is left.
  }
}

export class StepNav {
  constructor(root) {
    this.root = root;
    this.key = root.dataset.rememberKey || window.location.pathname;
    this.steps = Array.from(root.querySelectorAll("[data-step]")).map((element) => ({
      element,
      panel: element.querySelector("[data-step-panel]"),
      title: element.querySelector("[data-step-title]"),
    }));
  }

  init() {
    if (!this.steps.length || this.root.classList.contains("app-step-nav--enhanced")) {
      return;
    }
    this.steps.forEach((step) => this.addStepButton(step));
    this.addShowAllButton();
    this.root.classList.add("app-step-nav--enhanced");

    const stored = readState(this.key);
    const hashStep = this.stepForHash();
    this.steps.forEach((step) => {
      const open = stored
        ? stored.includes(step.element.id)
        : step.element.hasAttribute("data-current");
      this.setOpen(step, open || step === hashStep);
    });
    this.updateShowAll();
  }

  addStepButton(step) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "app-step-nav__button";
    button.setAttribute("aria-controls", step.panel.id);
    button.setAttribute("aria-expanded", "true");

    const toggle = document.createElement("span");
    toggle.className = "app-step-nav__toggle";
    toggle.innerHTML =
      '<span class="app-step-nav__chevron" aria-hidden="true"></span>' +
      '<span class="app-step-nav__toggle-text">Hide</span>' +
      '<span class="govuk-visually-hidden"> this step</span>';

    step.title.replaceWith(button);
    button.append(step.title, toggle);
    step.button = button;
    step.toggleText = toggle.querySelector(".app-step-nav__toggle-text");

    button.addEventListener("click", () => {
      this.setOpen(step, !this.isOpen(step));
      this.updateShowAll();
      this.save();
    });
    // Find in page can reveal text in a closed step; keep the button in step with it.
    step.panel.addEventListener("beforematch", () => {
      this.setOpen(step, true);
      this.updateShowAll();
      this.save();
    });
  }

  addShowAllButton() {
    const controls = document.createElement("div");
    controls.className = "app-step-nav__controls";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "app-step-nav__show-all";
    button.setAttribute("aria-controls", this.steps.map((step) => step.panel.id).join(" "));
    button.addEventListener("click", () => {
      const open = !this.allOpen();
      this.steps.forEach((step) => this.setOpen(step, open));
      this.updateShowAll();
      this.save();
    });
    controls.append(button);
    this.root.prepend(controls);
    this.showAllButton = button;
  }

  stepForHash() {
    let id;
    try {
      id = decodeURIComponent(window.location.hash.slice(1));
    } catch {
      return undefined;
    }
    const target = id && document.getElementById(id);
    return target ? this.steps.find((step) => step.element.contains(target)) : undefined;
  }

  isOpen(step) {
    return step.button.getAttribute("aria-expanded") === "true";
  }

  allOpen() {
    return this.steps.every((step) => this.isOpen(step));
  }

  setOpen(step, open) {
    step.button.setAttribute("aria-expanded", String(open));
    step.toggleText.textContent = open ? "Hide" : "Show";
    step.element.classList.toggle("app-step-nav__step--open", open);
    if (open) {
      step.panel.removeAttribute("hidden");
    } else {
      // "until-found" lets find in page still reach the text; other browsers treat it as hidden.
      step.panel.setAttribute("hidden", "until-found");
    }
  }

  updateShowAll() {
    const allOpen = this.allOpen();
    this.showAllButton.setAttribute("aria-expanded", String(allOpen));
    this.showAllButton.textContent = allOpen ? "Hide all steps" : "Show all steps";
  }

  save() {
    const open = this.steps.filter((step) => this.isOpen(step)).map((step) => step.element.id);
    writeState(this.key, open);
  }
}

export function initAll(scope = document) {
  scope.querySelectorAll('[data-module="app-step-nav"]').forEach((root) => {
    new StepNav(root).init();
  });
}

initAll();
