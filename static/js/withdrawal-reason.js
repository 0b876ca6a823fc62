/* The pipeline's move forms: the "why did they withdraw?" field is shown only while "Withdrawn" is
 * the stage picked. Without this script it is always shown (and the server asks for it anyway).
 * Loaded with defer, no inline script (the Content-Security-Policy allows none). */
(function () {
  "use strict";

  function sync(form) {
    var stage = form.querySelector('select[name="stage"]');
    if (!stage) { return; }
    form.querySelectorAll("[data-shown-for-stage]").forEach(function (field) {
      field.hidden = field.getAttribute("data-shown-for-stage") !== stage.value;
    });
  }

  document.querySelectorAll("form.move-form").forEach(sync);
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.name === "stage" && target.form) { sync(target.form); }
  });
})();
