/* A form that changes something is sent once per click: after the first submit of a POST form, its
 * buttons are disabled and a second submit (a double click, Enter pressed twice) is ignored.
 * A nicety on top of the server's guards, not one of them: the pages answer a repeated POST
 * themselves ("Add and submit a candidate" carries a one-time token). Loaded with defer, no
 * inline script (the Content-Security-Policy allows none). */
(function () {
  "use strict";

  function isPost(form) {
    return (form.getAttribute("method") || "").toLowerCase() === "post";
  }

  function buttonsOf(form) {
    return form.querySelectorAll('button:not([type]), button[type="submit"], input[type="submit"]');
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !isPost(form)) { return; }
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    if (event.defaultPrevented) { return; } // sent by script (htmx): not a page load to guard
    form.dataset.sending = "true";
    form.setAttribute("aria-busy", "true");
    // After the browser has read the form: a button disabled now would drop its own name=value
    // (the stage moves are told apart by the button pressed).
    window.setTimeout(function () {
      buttonsOf(form).forEach(function (button) { button.disabled = true; });
    }, 0);
  });

  // Back to a page kept in the browser's memory: its forms may be sent again (the server decides).
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-sending]").forEach(function (form) {
      delete form.dataset.sending;
      form.removeAttribute("aria-busy");
      buttonsOf(form).forEach(function (button) { button.disabled = false; });
    });
  });
})();
