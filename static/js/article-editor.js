/*
 * Dossier's article editor in the admin: toolbar, live preview and SEO character counters.
 * Vanilla JavaScript, no build step, served from our own origin (the CSP allows nothing inline).
 * The server side is articles/editor.py and ArticleAdmin's editor views; editors read about it
 * in docs/authoring.md.
 *
 * Hooks (for browser tests too). `P` is the body textarea's id, "id_body" on the article form.
 *   [data-body-editor]#P-editor   wrapper; data-textarea (= P), data-preview-url,
 *                                 data-search-url, data-article-id ("" before the first save)
 *   #P-toolbar                    the toolbar (hidden until this script starts)
 *   [data-editor-insert=heading|bold|italic|callout|quote]   toolbar buttons
 *   #P-callout-kind               select of callout kinds, used by "Insert callout"
 *   #P-quote-key, #P-quote-keys   quote key input and its datalist of the article's keys
 *   #P-article-search             "Link to article" search box (GET data-search-url?q=)
 *   #P-article-results            result list; each result is a button with data-slug
 *   #P-image-search               "Insert image" search of the media library
 *                                 (GET data-image-search-url?q=; empty: the newest images)
 *   #P-image-results              result list; each result is a button with data-image-id
 *   #P-image-status               its short message (role=status)
 *   #P-search-status, #P-toolbar-status   short messages (role=status)
 *   #P-preview-pane               the preview section (hidden until this script starts)
 *   #P-preview                    rendered body; carries data-state="loading|ready|error"
 *   #P-preview-status, #P-preview-warnings   preview message and the body's problems
 *   [data-counter-for]            "n / max characters" after the SEO title and meta
 *                                 description; data-recommended; class dossier-counter--over
 */
(function () {
  "use strict";

  var PREVIEW_DELAY_MS = 400; // a pause in typing, not every keystroke
  var SEARCH_DELAY_MS = 250;
  var MIN_SEARCH_LENGTH = 2;
  var QUOTE_KEY = /^[A-Za-z0-9_-]+$/; // the renderer's [[quote:key]] rule (articles/rendering.py)

  function onReady(start) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  }

  function csrfToken(element) {
    // From the form rather than the cookie: the cookie may be HttpOnly.
    var form = element.closest("form");
    var field = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function plural(count, one, many) {
    return count.toLocaleString() + " " + (count === 1 ? one : many);
  }

  function debounce(fn, delay) {
    var timer = null;
    return function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fn, delay);
    };
  }

  // --- editing the textarea ------------------------------------------------------------------

  function replaceSelection(textarea, text, selectFrom, selectTo) {
    var start = textarea.selectionStart;
    textarea.focus();
    textarea.setRangeText(text, start, textarea.selectionEnd, "end");
    if (selectFrom !== undefined) {
      textarea.setSelectionRange(start + selectFrom, start + selectTo);
    }
    // Tells the preview (and anything else listening) that the body changed.
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function selectedText(textarea) {
    return textarea.value.slice(textarea.selectionStart, textarea.selectionEnd);
  }

  function wrapInline(textarea, marker, placeholder) {
    var inner = selectedText(textarea) || placeholder;
    replaceSelection(
      textarea,
      marker + inner + marker,
      marker.length,
      marker.length + inner.length
    );
  }

  // A block (callout, placed quote) must stand on lines of its own, with a blank line around it.
  function insertBlock(textarea, block, selectFrom, selectTo) {
    var before = textarea.value.slice(0, textarea.selectionStart);
    var after = textarea.value.slice(textarea.selectionEnd);
    var lead = before === "" || /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
    var tail = after === "" || /^\n\n/.test(after) ? "" : /^\n/.test(after) ? "\n" : "\n\n";
    var from = selectFrom === undefined ? block.length : selectFrom;
    var to = selectTo === undefined ? block.length : selectTo;
    replaceSelection(textarea, lead + block + tail, lead.length + from, lead.length + to);
  }

  // A search box and its list of result buttons, worked from the keyboard: Enter takes the
  // first result, the arrows move through the list and back to the box, Escape closes it.
  function pickWithKeys(input, results, close) {
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // never submit the article form from here
        var first = results.querySelector("button");
        if (first && !results.hidden) {
          first.click();
        }
      } else if (event.key === "ArrowDown" && !results.hidden) {
        event.preventDefault();
        results.querySelector("button").focus();
      } else if (event.key === "Escape") {
        close();
      }
    });
    results.addEventListener("keydown", function (event) {
      var buttons = Array.prototype.slice.call(results.querySelectorAll("button"));
      var at = buttons.indexOf(document.activeElement);
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var next = at + (event.key === "ArrowDown" ? 1 : -1);
        if (next < 0) {
          input.focus();
        } else if (next < buttons.length) {
          buttons[next].focus();
        }
      } else if (event.key === "Escape") {
        close();
        input.focus();
      }
    });
  }

  function insertHeading(textarea) {
    var value = textarea.value;
    var lineStart = value.lastIndexOf("\n", textarea.selectionStart - 1) + 1;
    if (value.slice(lineStart, lineStart + 3) === "## ") {
      textarea.focus();
      return; // already a section heading
    }
    textarea.setSelectionRange(lineStart, lineStart);
    var empty = value.slice(lineStart).split("\n", 1)[0] === "";
    if (empty) {
      replaceSelection(textarea, "## Heading", 3, 10);
    } else {
      replaceSelection(textarea, "## ");
    }
  }

  // --- the editor --------------------------------------------------------------------------

  function Editor(root) {
    var prefix = root.dataset.textarea;
    this.root = root;
    this.textarea = document.getElementById(prefix);
    this.byId = function (suffix) {
      return document.getElementById(prefix + "-" + suffix);
    };
    this.articleId = root.dataset.articleId || "";
    this.toolbarStatus = this.byId("toolbar-status");
    if (!this.textarea) {
      return;
    }
    this.startToolbar();
    this.startSearch();
    if (this.byId("image-search")) {
      this.startImageSearch();
    }
    this.startPreview();
  }

  Editor.prototype.say = function (message) {
    this.toolbarStatus.textContent = message;
  };

  Editor.prototype.startToolbar = function () {
    var editor = this;
    var toolbar = this.byId("toolbar");
    var quoteKey = this.byId("quote-key");
    toolbar.hidden = false;
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("[data-editor-insert]");
      if (button) {
        editor.insert(button.dataset.editorInsert);
      }
    });
    quoteKey.addEventListener("focus", function () {
      editor.offerFormQuoteKeys();
    });
    quoteKey.addEventListener("keydown", function (event) {
      // Enter here would otherwise submit the whole article form.
      if (event.key === "Enter") {
        event.preventDefault();
        editor.insert("quote");
      }
    });
  };

  Editor.prototype.insert = function (what) {
    var textarea = this.textarea;
    this.say("");
    if (what === "bold") {
      wrapInline(textarea, "**", "bold text");
    } else if (what === "italic") {
      wrapInline(textarea, "*", "italic text");
    } else if (what === "heading") {
      insertHeading(textarea);
    } else if (what === "callout") {
      var kind = this.byId("callout-kind").value;
      var inner = selectedText(textarea) || "Text of the callout.";
      var opening = "::: " + kind + "\n";
      insertBlock(
        textarea,
        opening + inner + "\n:::",
        opening.length,
        opening.length + inner.length
      );
    } else if (what === "quote") {
      var key = this.byId("quote-key").value.trim();
      if (!QUOTE_KEY.test(key)) {
        this.say(
          key
            ? "A quote key has only letters, digits, - and _."
            : "Choose or type the key of one of the article's quotes first."
        );
        this.byId("quote-key").focus();
        return;
      }
      insertBlock(textarea, "[[quote:" + key.toLowerCase() + "]]");
    }
  };

  // Keys typed into the (unsaved) quote forms below are offered too, beside the saved ones.
  Editor.prototype.offerFormQuoteKeys = function () {
    var list = this.byId("quote-keys");
    var known = {};
    Array.prototype.forEach.call(list.options, function (option) {
      known[option.value] = true;
    });
    var inputs = document.querySelectorAll("input[name^='quotes-'][name$='-key']");
    Array.prototype.forEach.call(inputs, function (input) {
      var key = input.value.trim().toLowerCase();
      if (key && QUOTE_KEY.test(key) && !known[key] && input.name.indexOf("__prefix__") < 0) {
        var option = document.createElement("option");
        option.value = key;
        list.appendChild(option);
        known[key] = true;
      }
    });
  };

  // --- "Link to article" -------------------------------------------------------------------

  Editor.prototype.startSearch = function () {
    var editor = this;
    var input = this.byId("article-search");
    var results = this.byId("article-results");
    var status = this.byId("search-status");
    var url = this.root.dataset.searchUrl;
    var pending = null;

    function close() {
      results.hidden = true;
      results.replaceChildren();
    }

    function show(articles) {
      close();
      articles.forEach(function (article) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "dossier-editor__result";
        button.dataset.slug = article.slug;
        button.dataset.title = article.title;
        button.textContent = article.title;
        var state = document.createElement("span");
        state.className = "dossier-editor__result-state";
        state.textContent = article.live
          ? " (live)"
          : " (" + article.status_label.toLowerCase() + ": shown as text until live)";
        button.appendChild(state);
        item.appendChild(button);
        results.appendChild(item);
      });
      results.hidden = articles.length === 0;
      status.textContent = articles.length
        ? plural(articles.length, "article", "articles") + " found."
        : "No article matches.";
    }

    var search = debounce(function () {
      var term = input.value.trim();
      if (pending) {
        pending.abort();
      }
      if (term.length < MIN_SEARCH_LENGTH) {
        close();
        status.textContent = "";
        return;
      }
      pending = new AbortController();
      var query = new URLSearchParams({ q: term });
      if (editor.articleId) {
        query.set("exclude", editor.articleId);
      }
      fetch(url + "?" + query.toString(), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: pending.signal,
      })
        .then(function (response) {
          return response.json().then(function (data) {
            if (!response.ok) {
              throw new Error(data.error || "The search failed.");
            }
            show(data.results);
          });
        })
        .catch(function (error) {
          if (error.name !== "AbortError") {
            close();
            status.textContent = error.message || "The search failed.";
          }
        });
    }, SEARCH_DELAY_MS);

    input.addEventListener("input", search);
    pickWithKeys(input, results, close);
    results.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-slug]");
      if (!button) {
        return;
      }
      var textarea = editor.textarea;
      var text = selectedText(textarea) || button.dataset.title;
      // Brackets in the text would end the link early.
      text = text.replace(/[[\]]/g, "\\$&");
      replaceSelection(textarea, "[" + text + "](article:" + button.dataset.slug + ")");
      close();
      input.value = "";
      status.textContent = "";
      editor.say("Linked to “" + button.dataset.title + "”.");
    });
  };

  // --- "Insert image" ------------------------------------------------------------------------

  Editor.prototype.startImageSearch = function () {
    var editor = this;
    var input = this.byId("image-search");
    var results = this.byId("image-results");
    var status = this.byId("image-status");
    var url = this.root.dataset.imageSearchUrl;
    var pending = null;

    function close() {
      results.hidden = true;
      results.replaceChildren();
    }

    function show(images) {
      close();
      images.forEach(function (image) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "dossier-editor__result";
        button.dataset.imageId = image.id;
        button.dataset.title = image.title;
        var thumbnail = document.createElement("img");
        thumbnail.src = image.thumbnail_url;
        thumbnail.alt = "";
        thumbnail.width = 64;
        thumbnail.loading = "lazy";
        button.appendChild(thumbnail);
        button.appendChild(document.createTextNode(" " + image.title));
        var about = document.createElement("span");
        about.className = "dossier-editor__result-state";
        about.textContent = " " + image.alt + (image.credit ? " · " + image.credit : "");
        button.appendChild(about);
        item.appendChild(button);
        results.appendChild(item);
      });
      results.hidden = images.length === 0;
      status.textContent = images.length
        ? plural(images.length, "image", "images") + " found."
        : "No image matches. Upload it to the library first.";
    }

    function search() {
      var term = input.value.trim();
      if (pending) {
        pending.abort();
      }
      if (term.length === 1) {
        return; // one letter matches nearly everything; wait for more (none: the newest)
      }
      pending = new AbortController();
      fetch(url + "?" + new URLSearchParams({ q: term }).toString(), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: pending.signal,
      })
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (type.indexOf("application/json") < 0) {
            throw new Error("The library is not available (are you still logged in?).");
          }
          return response.json().then(function (data) {
            if (!response.ok) {
              throw new Error(data.error || "The search failed.");
            }
            show(data.results);
          });
        })
        .catch(function (error) {
          if (error.name !== "AbortError") {
            close();
            status.textContent = error.message || "The search failed.";
          }
        });
    }

    input.addEventListener("input", debounce(search, SEARCH_DELAY_MS));
    // An image just uploaded in another tab is among the newest when the box is entered again.
    input.addEventListener("focus", search);
    pickWithKeys(input, results, close);
    results.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-image-id]");
      if (!button) {
        return;
      }
      // A figure stands on a line of its own; the selected text, if any, becomes its caption.
      var caption = selectedText(editor.textarea).replace(/[\r\n|\]]+/g, " ").trim();
      insertBlock(
        editor.textarea,
        "[[image:" + button.dataset.imageId + (caption ? " | " + caption : "") + "]]"
      );
      close();
      input.value = "";
      status.textContent = "";
      editor.say("Inserted “" + button.dataset.title + "”.");
    });
  };

  // --- live preview ------------------------------------------------------------------------

  Editor.prototype.startPreview = function () {
    var editor = this;
    var pane = this.byId("preview-pane");
    var target = this.byId("preview");
    var status = this.byId("preview-status");
    var warnings = this.byId("preview-warnings");
    var url = this.root.dataset.previewUrl;
    var token = csrfToken(this.root);
    var pending = null;
    pane.hidden = false;

    function showWarnings(list) {
      warnings.replaceChildren();
      list.forEach(function (text) {
        var item = document.createElement("li");
        item.textContent = text;
        warnings.appendChild(item);
      });
      warnings.hidden = list.length === 0;
    }

    function showHtml(html) {
      // The HTML comes from our renderer, sanitised by nh3 on the server. It is parsed in an
      // inert <template> first, so heading ids can be prefixed before it joins the page: a
      // heading called "Content" must not take the admin's own id="content".
      var template = document.createElement("template");
      template.innerHTML = html;
      template.content.querySelectorAll("[id]").forEach(function (element) {
        element.id = "preview-" + element.id;
      });
      template.content.querySelectorAll("a[href]").forEach(function (link) {
        // Following a link must not leave the form and its unsaved text.
        link.target = "_blank";
        link.rel = "noopener noreferrer";
      });
      target.replaceChildren(template.content);
    }

    function refresh() {
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      var data = new URLSearchParams({ body: editor.textarea.value });
      if (editor.articleId) {
        data.set("article", editor.articleId);
      }
      target.dataset.state = "loading";
      fetch(url, {
        method: "POST",
        body: data,
        headers: { Accept: "application/json", "X-CSRFToken": token },
        credentials: "same-origin",
        signal: pending.signal,
      })
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (type.indexOf("application/json") < 0) {
            // e.g. the login page after the session expired, or a 403 page
            throw new Error(
              response.status === 403
                ? "You may not preview this article."
                : "The preview is not available (are you still logged in?)."
            );
          }
          return response.json().then(function (result) {
            if (!response.ok) {
              throw new Error(result.error || "The preview failed.");
            }
            showHtml(result.html);
            showWarnings(result.warnings);
            var problems = result.warnings.length;
            status.textContent =
              plural(result.word_count, "word", "words") +
              " · " +
              result.reading_minutes +
              " min read" +
              (problems ? " · " + plural(problems, "problem", "problems") + " in the body" : "");
            target.dataset.state = "ready";
          });
        })
        .catch(function (error) {
          if (error.name === "AbortError") {
            return;
          }
          // The last good preview stays, marked as out of date.
          target.dataset.state = "error";
          status.textContent = error.message || "The preview failed.";
        });
    }

    this.textarea.addEventListener("input", debounce(refresh, PREVIEW_DELAY_MS));
    refresh();
  };

  // --- character counters --------------------------------------------------------------------

  function startCounter(counter) {
    var input = document.getElementById(counter.dataset.counterFor);
    var recommended = parseInt(counter.dataset.recommended, 10);
    if (!input || !recommended) {
      return;
    }
    function update() {
      var count = input.value.length;
      var over = count > recommended;
      // Same words as articles/editor.py counter_text().
      var text = count + " / " + recommended + " characters";
      counter.textContent = over ? text + ": longer than search results show" : text;
      counter.classList.toggle("dossier-counter--over", over);
    }
    input.addEventListener("input", update);
    update();
  }

  onReady(function () {
    document.querySelectorAll("[data-body-editor]").forEach(function (root) {
      new Editor(root);
    });
    document.querySelectorAll("[data-counter-for]").forEach(startCounter);
  });
})();
