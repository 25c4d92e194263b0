// Page behaviour that used to sit in inline handlers (the Content-Security-Policy allows
// scripts from static files only):
//   <form data-confirm="Remove it?">   asks before submitting
//   <input data-select-on-click>       selects its text on click (e.g. a link to copy)
//   <button data-print>                prints the page
// Long actions (issue 18): nothing can be sent twice, and a wait shows progress.
//   <form data-busy>                   once submitted, its submit buttons are disabled and the one
//                                      pressed shows a spinner and «Подождите…»; a second submit is
//                                      ignored. Every POST form inside <main> behaves so too, unless
//                                      it says data-busy="off".
//   <form data-busy="download">        a POST answered with a file (the page stays): the same, and
//                                      usable again as soon as the file arrives (the server returns
//                                      the form's one-time download_token in a cookie,
//                                      core.middleware.DownloadTokenMiddleware).
//   <a data-busy href="…">             a download: fetched in the background while the link shows
//                                      the spinner (a second click is ignored), then saved under the
//                                      server's file name; an error page is shown as a page.
//   <div data-busy-links="/pdf/">      the same for every link inside whose address contains the text.
// The label comes from <body data-busy-text="…"> (translated by the server).
(function () {
  var SUBMITS = "button:not([type]), button[type=submit], input[type=submit]";
  var RELEASE_MS = 15000; // a form whose answer never replaces the page (a download) is usable again

  function busyText() {
    return (document.body && document.body.getAttribute("data-busy-text")) || "…";
  }

  function spinner() {
    var wrap = document.createElement("span");
    wrap.className = "portal-busy";
    wrap.setAttribute("role", "status");
    var icon = document.createElement("span");
    icon.className = "spinner-border spinner-border-sm";
    icon.setAttribute("aria-hidden", "true");
    var label = document.createElement("span");
    label.className = "portal-busy-label";
    label.textContent = busyText();
    wrap.appendChild(icon);
    wrap.appendChild(label);
    return wrap;
  }

  function showBusy(element) {
    if (element.tagName === "INPUT") {
      element.setAttribute("data-busy-value", element.value);
      element.value = busyText();
      return;
    }
    element.setAttribute("data-busy-html", element.innerHTML);
    element.replaceChildren(spinner());
  }

  function hideBusy(element) {
    if (element.hasAttribute("data-busy-value")) {
      element.value = element.getAttribute("data-busy-value");
      element.removeAttribute("data-busy-value");
    }
    if (element.hasAttribute("data-busy-html")) {
      element.innerHTML = element.getAttribute("data-busy-html");
      element.removeAttribute("data-busy-html");
    }
  }

  function guards(form) {
    var mode = form.getAttribute("data-busy");
    if (mode === "off") return false;
    if (mode !== null) return true;
    return (form.getAttribute("method") || "").toLowerCase() === "post" && !!form.closest("main");
  }

  function submitButtons(form) {
    return Array.prototype.filter.call(form.elements, function (el) { return el.matches(SUBMITS); });
  }

  function release(form) {
    form.removeAttribute("data-busy-active");
    form.removeAttribute("aria-busy");
    submitButtons(form).forEach(function (button) {
      if (button.hasAttribute("data-busy-disabled")) {
        button.disabled = false;
        button.removeAttribute("data-busy-disabled");
      }
      hideBusy(button);
    });
  }

  function hold(form, submitter) {
    form.setAttribute("data-busy-active", "");
    form.setAttribute("aria-busy", "true");
    var buttons = submitButtons(form);
    var pressed = submitter && buttons.indexOf(submitter) >= 0 ? submitter : buttons[0];
    // After this task: the browser has already taken the pressed button's name and value.
    window.setTimeout(function () {
      buttons.forEach(function (button) {
        if (!button.disabled) {
          button.disabled = true;
          button.setAttribute("data-busy-disabled", "");
        }
      });
      if (pressed) showBusy(pressed);
    }, 0);
    var timer = window.setTimeout(function () { release(form); }, RELEASE_MS);
    if (form.getAttribute("data-busy") === "download") awaitDownload(form, timer);
  }

  // ------------------------------------------------------------ forms answered with a file
  var TOKEN = "download_token";

  function cookie(name) {
    var found = document.cookie.split("; ").filter(function (pair) { return pair.indexOf(name + "=") === 0; })[0];
    return found ? found.slice(name.length + 1) : "";
  }

  function awaitDownload(form, timer) {
    var token = Math.random().toString(36).slice(2) + Date.now().toString(36);
    var input = form.querySelector("input[name=" + TOKEN + "]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = TOKEN;
      form.appendChild(input);
    }
    input.value = token; // appended before the browser reads the form (this runs in the submit event)
    var poll = window.setInterval(function () {
      if (!form.hasAttribute("data-busy-active")) { window.clearInterval(poll); return; }
      if (cookie(TOKEN) !== token) return;
      document.cookie = TOKEN + "=; Max-Age=0; path=/; SameSite=Strict";
      window.clearInterval(poll);
      window.clearTimeout(timer);
      window.setTimeout(function () { release(form); }, 0); // after hold's own task has disabled the buttons
    }, 150);
  }

  // A form already on its way is not sent again (before data-confirm asks a second time).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-busy-active")) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  }, true);
  // Bubbling, so a cancelled confirm or an htmx form (it prevents the default) is left alone.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement) || !guards(form)) return;
    if (form.target && form.target !== "_self") return;
    hold(form, event.submitter);
  });
  // Back to a page kept by the browser (bfcache): its forms work again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-busy-active]").forEach(release);
    document.querySelectorAll("a[data-busy-active]").forEach(releaseLink);
  });

  // ------------------------------------------------------------ downloads
  function isBusyLink(link) {
    if (link.hasAttribute("data-busy")) return link.getAttribute("data-busy") !== "off";
    var box = link.closest("[data-busy-links]");
    return !!box && link.getAttribute("href").indexOf(box.getAttribute("data-busy-links")) >= 0;
  }

  function fileName(response, link) {
    var header = response.headers.get("Content-Disposition") || "";
    var star = /filename\*=UTF-8''([^;]+)/i.exec(header);
    if (star) {
      try { return decodeURIComponent(star[1]); } catch (e) { /* fall through */ }
    }
    var plain = /filename="?([^";]+)"?/i.exec(header);
    if (plain) return plain[1];
    return link.pathname.split("/").filter(Boolean).pop() || "download";
  }

  function releaseLink(link) {
    link.removeAttribute("data-busy-active");
    link.removeAttribute("aria-disabled");
    hideBusy(link);
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var anchor = document.createElement("a");
    anchor.href = url;
    anchor.download = name;
    anchor.hidden = true;
    document.body.appendChild(anchor);
    anchor.click();
    anchor.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var link = target.closest("a[href]");
    if (!link || !isBusyLink(link) || event.defaultPrevented) return;
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    if (link.hasAttribute("data-busy-active")) return;
    link.setAttribute("data-busy-active", "");
    link.setAttribute("aria-disabled", "true");
    showBusy(link);
    var href = link.href;
    window.fetch(href, { credentials: "same-origin" })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (!response.ok || type.indexOf("text/html") === 0) {
          window.location.assign(href); // the error page (or a login page) is for reading
          return null;
        }
        return response.blob().then(function (blob) { save(blob, fileName(response, link)); });
      })
      .catch(function () { window.location.assign(href); })
      .then(function () { releaseLink(link); });
  });

  // ------------------------------------------------------------ small helpers
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var selectable = target.closest("[data-select-on-click]");
    if (selectable && typeof selectable.select === "function") selectable.select();
    if (target.closest("[data-print]")) window.print();
  });
})();
