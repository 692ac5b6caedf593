/*
 * The article's slug follows its title while the title is typed, on the add form only (an
 * article's address should not change by accident once it exists). It stops following as soon
 * as the editor types in the slug field, and follows again if they empty it.
 *
 * Hook: <input data-slug-from="ID"> on the slug field (ArticleAdmin.get_form, adding only),
 * where ID is the title input's id. A static file: the admin's CSP allows no inline script.
 *
 * slugify() is Django's django.utils.text.slugify(allow_unicode=True) in JavaScript, so the
 * slug shown is the one the server would make: NFKC, lower case, anything but letters, digits,
 * underscores, spaces and hyphens dropped, runs of spaces and hyphens made one hyphen.
 */
(function () {
  "use strict";

  function slugify(text) {
    return text
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}_\s-]/gu, "")
      .replace(/[-\s]+/g, "-")
      .replace(/^[-_]+|[-_]+$/g, "");
  }

  function cut(slug, maxLength) {
    if (maxLength > 0 && slug.length > maxLength) {
      slug = slug.slice(0, maxLength).replace(/[-_]+$/, "");
    }
    return slug;
  }

  function follow(slugInput) {
    var title = document.getElementById(slugInput.getAttribute("data-slug-from"));
    if (!title) {
      return;
    }
    var fromTitle = function () {
      return cut(slugify(title.value), slugInput.maxLength);
    };
    // A form shown again (after an error) keeps following if its slug is still the title's.
    var following = slugInput.value === "" || slugInput.value === fromTitle();
    title.addEventListener("input", function () {
      if (following) {
        slugInput.value = fromTitle();
      }
    });
    slugInput.addEventListener("input", function () {
      following = slugInput.value === "";
    });
  }

  function start() {
    document.querySelectorAll("input[data-slug-from]").forEach(follow);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
