// Shows the public change note box only for a major change. Without JavaScript both show,
// and the server still refuses a major change without a note.
document.addEventListener("DOMContentLoaded", function () {
  var radios = document.querySelectorAll('input[name="change_type"]');
  var row = document.querySelector(".field-change_note");
  if (!radios.length || !row) {
    return;
  }
  function update() {
    var major = document.querySelector('input[name="change_type"][value="major"]');
    var note = row.querySelector("textarea");
    row.hidden = !(major && major.checked) && !(note && note.value);
  }
  radios.forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
});
