// A form htmx sends (the searches, core/searches.py: one request instead of a POST and a
// redirect; the audited reveals of a NIK, a KPJ or a duplicate pair) is sent again as an
// ordinary form when its answer is an error page or never comes: the user then sees what a
// browser without JavaScript shows (the refusal, the expired session, the error page, or
// the revealed number on a page of its own), never a button that seemingly did nothing.
// Such forms carry data-submit-on-error; form.submit() does not pass through htmx.
(function () {
  function fallBack(event) {
    var form = event.detail && event.detail.elt;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-submit-on-error")) {
      form.submit();
    }
  }
  document.addEventListener("htmx:responseError", fallBack);
  document.addEventListener("htmx:sendError", fallBack);
})();
