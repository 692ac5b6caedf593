// Article pages are cached and identical for every reader, so the comment form on them carries
// no CSRF token or form stamp of its own. When a reader starts writing, fetch fresh ones.
// Without JavaScript the form still works: the server shows it again, text kept, with a token.
(function () {
  "use strict";
  var form = document.querySelector("form[data-comment-form]");
  if (!form) {
    return;
  }
  var pending = null;

  function fetchTokens() {
    if (!pending) {
      // How long the page has been open: the minimum-time guard counts from when the reader
      // got the page, not from the first keystroke (comments/guards.py, FormTiming.issue).
      var shown = Math.floor(performance.now() / 1000);
      var url = form.getAttribute("data-token-url");
      url += (url.indexOf("?") === -1 ? "?" : "&") + "shown=" + shown;
      pending = fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("token request failed: " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          form.elements.csrfmiddlewaretoken.value = data.csrfToken;
          form.elements.opened.value = data.opened;
        })
        .catch(function () {
          // Leave the fields empty and allow a retry: if it never works, the server asks the
          // reader to confirm once more and keeps their text.
          pending = null;
        });
    }
    return pending;
  }

  form.addEventListener("focusin", fetchTokens);
  form.addEventListener("submit", function (event) {
    if (form.elements.csrfmiddlewaretoken.value) {
      return;
    }
    event.preventDefault();
    var send = function () {
      form.submit();
    };
    fetchTokens().then(send, send);
  });
})();
