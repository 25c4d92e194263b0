/* The protocol editor: add / remove / reorder formset rows (numbers follow the order),
 * search-as-you-type selects, a new person on the spot, copying an agenda.
 * Plain DOM, no dependencies. Nothing here submits data by itself except the
 * «new person» request; everything typed stays in the one form until it is saved. */
(function () {
  "use strict";
  var form = document.getElementById("protocol-editor");
  if (!form) return;
  var dirty = false;

  function csrf() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function rowsOf(formset) {
    var container = formset.querySelector(":scope > .formset-rows");
    return Array.prototype.filter.call(container.children, function (row) {
      return row.classList.contains("formset-row") && !row.classList.contains("d-none");
    });
  }

  function field(row, name) {
    return row.querySelector('[name="' + row.dataset.formPrefix + "-" + name + '"]');
  }

  /* A setting the protocol prints by: its own choice, else its body's (data-body-layouts). */
  function setting(name, key, fallback) {
    var own = form.querySelector('[name="m-' + name + '"]');
    if (own && own.value) return own.value;
    var body = form.querySelector('[name="m-body"]');
    var layouts = {};
    try { layouts = JSON.parse(form.dataset.bodyLayouts || "{}"); } catch (e) { layouts = {}; }
    return (body && layouts[body.value] && layouts[body.value][key]) || fallback;
  }

  function layout() { return setting("protocol_layout", "layout", "per_item"); }
  function numbering() { return setting("decision_numbering", "numbering", "hierarchical"); }

  function isSubpoint(row) {
    var flag = field(row, "subpoint");
    return Boolean(flag && flag.checked);
  }

  /* Positions and the printed numbers follow the order on the page, by the rule the protocol prints
   * with (meetings.models.decision_numbers): «1.1», «2» for a single decision, «2.1» for a sub-point,
   * 1, 2 in every item when numbering restarts per item, and 1, 2, 3 through the protocol with one
   * «РЕШИЛИ» block. */
  function renumber() {
    var single = layout() === "single_block";
    var restart = numbering() === "per_item";
    var running = 0;
    /* One «РЕШИЛИ» block has no per-item phrase before «РЕШИЛИ:». */
    form.querySelectorAll(".decision-intro").forEach(function (box) { box.classList.toggle("d-none", single); });
    /* «Answers no agenda item» is a choice of the one block only. */
    form.querySelectorAll(".no-item").forEach(function (box) { box.classList.toggle("d-none", !single); });
    form.querySelectorAll(".formset").forEach(function (formset) {
      var rows = rowsOf(formset);
      var parentItem = formset.closest(".item-row");
      var itemNumber = parentItem ? parentItem.querySelector(".item-number").textContent : "";
      var decisions = formset.dataset.kind === "decisions";
      var tops = decisions ? rows.filter(function (row, index) { return index === 0 || !isSubpoint(row); }).length : 0;
      var top = 0, sub = 0, current = "";
      rows.forEach(function (row, index) {
        var position = field(row, "position");
        if (position) position.value = index + 1;
        var label = row.querySelector('[data-number-for="' + row.dataset.formPrefix + '"]');
        if (decisions) row.classList.toggle("is-subpoint", index > 0 && isSubpoint(row));
        if (!label) return;
        if (decisions) {
          if (index > 0 && isSubpoint(row)) {
            sub += 1;
            label.textContent = current + "." + sub;
          } else {
            top += 1; sub = 0;
            if (single) { running += 1; current = String(running); }
            else if (restart) current = String(top);
            else if (tops > 1) current = itemNumber + "." + top;
            else current = itemNumber;
            label.textContent = current;
          }
        } else {
          label.textContent = String(index + 1);
        }
      });
    });
  }

  /* «Add a sub-point»: a new decision row after the decision and its sub-points, flagged as a sub-point. */
  function addSubpoint(row) {
    var formset = row.closest(".formset");
    var after = row;
    var next = after.nextElementSibling;
    while (next && (next.classList.contains("d-none") || isSubpoint(next))) {
      if (!next.classList.contains("d-none")) after = next;
      next = next.nextElementSibling;
    }
    var created = addRow(formset);
    after.after(created);
    var flag = field(created, "subpoint");
    if (flag) flag.checked = true;
    renumberAll();
    var text = field(created, "text");
    if (text) text.focus();
    return created;
  }

  function renumberAll() {
    renumber();  // items first, then decisions use the item numbers
    renumber();
  }

  function addRow(formset) {
    var prefix = formset.dataset.prefix;
    var placeholder = formset.dataset.placeholder || "__prefix__";
    var total = formset.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var template = formset.querySelector(":scope > template.formset-template");
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.split(placeholder).join(String(index));
    var container = formset.querySelector(":scope > .formset-rows");
    container.insertAdjacentHTML("beforeend", html);
    total.value = index + 1;
    var row = container.lastElementChild;
    init(row);
    renumberAll();
    dirty = true;
    return row;
  }

  function moveRow(row, direction) {
    var sibling = direction === "up" ? row.previousElementSibling : row.nextElementSibling;
    while (sibling && sibling.classList.contains("d-none")) {
      sibling = direction === "up" ? sibling.previousElementSibling : sibling.nextElementSibling;
    }
    if (!sibling) return;
    if (direction === "up") sibling.before(row); else sibling.after(row);
    renumberAll();
    dirty = true;
  }

  function removeRow(row) {
    var del = field(row, "DELETE");
    if (del) del.checked = true;
    row.classList.add("d-none");
    renumberAll();
    dirty = true;
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("[data-action]");
    if (!button || !form.contains(button)) return;
    var action = button.dataset.action;
    if (action === "add") {
      addRow(button.closest(".formset"));
    } else if (action === "add-subpoint") {
      addSubpoint(button.closest(".formset-row"));
    } else {
      var row = button.closest(".formset-row");
      if (action === "remove") removeRow(row);
      if (action === "up" || action === "down") moveRow(row, action);
    }
  });

  /* Search-as-you-type: a search box before each select[data-search-url]. */
  function debounce(fn, wait) {
    var timer;
    return function () {
      var args = arguments, self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, wait);
    };
  }

  function fetchOptions(url, query) {
    return fetch(url + "?q=" + encodeURIComponent(query), { headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var holder = document.createElement("select");
        holder.innerHTML = html;
        return Array.prototype.map.call(holder.options, function (o) { return [o.value, o.textContent]; });
      });
  }

  function setOption(select, value, label) {
    var option = Array.prototype.find.call(select.options, function (o) { return o.value === String(value); });
    if (!option) {
      option = new Option(label, value);
      select.add(option);
    }
    option.selected = true;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function initSearchSelect(select) {
    if (select.dataset.searchReady) return;
    select.dataset.searchReady = "1";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "form-control form-control-sm mb-1 search-select-input";
    input.placeholder = form.dataset.searchPlaceholder || "Поиск…";
    input.setAttribute("aria-label", "Поиск");
    input.autocomplete = "off";
    select.before(input);
    input.addEventListener("input", debounce(function () {
      var query = input.value.trim();
      if (query.length < 2) return;
      fetchOptions(select.dataset.searchUrl, query).then(function (options) {
        Array.prototype.slice.call(select.options).forEach(function (o) {
          if (!o.selected && o.value !== "") o.remove();
        });
        options.forEach(function (pair) {
          if (!Array.prototype.some.call(select.options, function (o) { return o.value === pair[0]; })) {
            select.add(new Option(pair[1], pair[0]));
          }
        });
        var count = select.options.length;
        if (!select.multiple) select.size = count > 2 ? Math.min(count, 8) : 1;
        else select.size = Math.max(4, Math.min(count, 8));
      });
    }, 250));
    ["change", "blur"].forEach(function (name) {
      select.addEventListener(name, function () { if (!select.multiple) select.size = 1; });
    });
  }

  function toggleVote(row) {
    var vote = field(row, "vote");
    var counts = row.querySelector(".vote-counts");
    if (vote && counts) counts.classList.toggle("invisible", vote.value !== "counted");
  }

  function init(root) {
    root.querySelectorAll("select[data-search-url]").forEach(initSearchSelect);
    root.querySelectorAll(".decision-row").forEach(toggleVote);
    if (root.classList && root.classList.contains("decision-row")) toggleVote(root);
  }

  form.addEventListener("change", function (event) {
    dirty = true;
    if (event.target.name && (/-subpoint$/.test(event.target.name) || /^m-(protocol_layout|decision_numbering|body)$/.test(event.target.name))) {
      renumberAll();
    }
    if (event.target.name && /-vote$/.test(event.target.name)) toggleVote(event.target.closest(".decision-row"));
    if (event.target.name && /-dec-\d+-kind$/.test(event.target.name) && event.target.value !== "note") {
      var more = event.target.closest(".decision-row").querySelector("details.decision-more");
      if (more) more.open = true;
    }
  });
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("submit", function () { renumberAll(); dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });

  /* Attendance: find a person in the register and add a row for them. */
  var attendanceFormset = form.querySelector('.formset[data-prefix="att"]');
  function addAttendee(id, label) {
    var row = addRow(attendanceFormset);
    setOption(field(row, "person"), id, label);
    return row;
  }
  var search = document.getElementById("attendance-search");
  var results = document.getElementById("attendance-results");
  if (search) {
    search.addEventListener("keydown", function (event) { if (event.key === "Enter") event.preventDefault(); });
    search.addEventListener("input", debounce(function () {
      var query = search.value.trim();
      results.innerHTML = "";
      if (query.length < 2) return;
      fetchOptions(search.dataset.searchUrl, query).then(function (options) {
        results.innerHTML = "";
        options.forEach(function (pair) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "list-group-item list-group-item-action py-1 small";
          button.textContent = "+ " + pair[1];
          button.addEventListener("click", function () {
            addAttendee(pair[0], pair[1]);
            results.innerHTML = "";
            search.value = "";
            search.focus();
          });
          results.appendChild(button);
        });
      });
    }, 250));
  }

  /* A new person on the spot: stored in the register, then added to the list. */
  var newPersonButton = document.getElementById("new-person-add");
  if (newPersonButton) {
    newPersonButton.addEventListener("click", function () {
      var box = document.getElementById("new-person-fields");
      var data = new FormData();
      box.querySelectorAll("input, select").forEach(function (input) { data.append(input.name, input.value); });
      var errors = document.getElementById("new-person-errors");
      var useExisting = document.getElementById("new-person-existing");
      function added(id, label) {
        errors.textContent = "";
        useExisting.hidden = true;
        addAttendee(id, label);
        box.querySelectorAll("input").forEach(function (input) { input.value = ""; });
      }
      fetch(form.dataset.personCreateUrl, { method: "POST", body: data, headers: { "X-CSRFToken": csrf() } })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          if (answer.errors) {
            errors.textContent = Object.values(answer.errors).map(function (e) { return e.join(" "); }).join(" ");
            /* The same person is already in the register of that organisation: offer that entry. */
            useExisting.hidden = !answer.existing;
            if (answer.existing) {
              useExisting.querySelector(".existing-label").textContent = answer.existing.label;
              useExisting.onclick = function () { added(answer.existing.id, answer.existing.label); };
            }
            return;
          }
          added(answer.id, answer.label);
        });
    });
  }

  /* Copy the agenda of an earlier meeting of the same body into new items. */
  var copyButton = document.getElementById("copy-agenda");
  var copySource = document.getElementById("copy-agenda-source");
  var bodySelect = form.querySelector('[name="m-body"]');
  function filterSources() {
    if (!copySource || !bodySelect) return;
    Array.prototype.forEach.call(copySource.options, function (o) {
      o.hidden = o.value !== "" && o.dataset.body !== bodySelect.value;
    });
  }
  if (copyButton) {
    filterSources();
    copyButton.addEventListener("click", function () {
      if (!copySource.value) return;
      fetch(copySource.value).then(function (r) { return r.json(); }).then(function (agenda) {
        var items = form.querySelector('.formset[data-prefix="items"]');
        agenda.items.forEach(function (item) {
          var row = addRow(items);
          field(row, "title").value = item.title;
          var speakers = row.querySelector('.formset[data-kind="speakers"]');
          item.speakers.forEach(function (s) {
            var srow = addRow(speakers);
            if (s.person) setOption(field(srow, "person"), s.person, s.label);
            field(srow, "name_text").value = s.name_text;
            field(srow, "position_text").value = s.position_text;
          });
        });
      });
    });
  }

  /* A new protocol: the number, chair and secretary follow the chosen body and date. */
  var numberInput = form.querySelector('[name="m-number"]');
  var dateInput = form.querySelector('[name="m-date"]');
  if (numberInput) numberInput.addEventListener("input", function () { numberInput.dataset.touched = "1"; });
  function suggest() {
    filterSources();
    if (form.dataset.new !== "1" || !bodySelect.value) return;
    var url = form.dataset.nextNumberUrl + "?body=" + bodySelect.value + "&date=" + (dateInput.value || "");
    fetch(url).then(function (r) { return r.ok ? r.json() : null; }).then(function (answer) {
      if (!answer) return;
      if (!numberInput.dataset.touched) numberInput.value = answer.number;
      ["chair", "secretary"].forEach(function (name) {
        var select = form.querySelector('[name="m-' + name + '"]');
        if (answer[name] && select && !select.value) setOption(select, answer[name], answer[name + "_label"]);
      });
    });
  }
  if (bodySelect) bodySelect.addEventListener("change", suggest);
  if (dateInput) dateInput.addEventListener("change", suggest);

  init(form);
  renumberAll();
})();
