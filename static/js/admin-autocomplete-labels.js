// select2 names its box after the chosen value only; add the field's label so screen
// readers announce "Publisher" (WCAG 4.1.2). Queued after the admin's own select2 set-up.
(function () {
  if (!(window.django && django.jQuery)) {
    return;
  }
  django.jQuery(function () {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = document.querySelector('label[for="' + select.id + '"]');
      var container = select.nextElementSibling;
      var box = container && container.querySelector(".select2-selection");
      if (!label || !box) {
        return;
      }
      label.id = label.id || select.id + "-label";
      var shown = box.querySelector(".select2-selection__rendered");
      box.setAttribute("aria-labelledby", label.id + (shown ? " " + shown.id : ""));
      if (shown) {
        shown.setAttribute("aria-labelledby", label.id);
      }
    });
  });
})();
