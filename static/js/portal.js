// Page behaviour that used to sit in inline handlers (the Content-Security-Policy allows
// scripts from static files only):
//   <form data-confirm="Remove it?">   asks before submitting
//   <input data-select-on-click>       selects its text on click (e.g. a link to copy)
//   <button data-print>                prints the page
(function () {
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  }, true);
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var selectable = target.closest("[data-select-on-click]");
    if (selectable && typeof selectable.select === "function") selectable.select();
    if (target.closest("[data-print]")) window.print();
  });
})();
