// Item editor: show only the timeframe inputs that the chosen kind uses.
(function () {
  var form = document.getElementById("item-form");
  if (!form) return;
  function update() {
    var checked = form.querySelector("input[name=timeframe_kind]:checked");
    var kind = checked ? checked.value : "quarters";
    form.querySelectorAll(".timeframe-part").forEach(function (part) {
      part.hidden = part.dataset.kinds.split(" ").indexOf(kind) === -1;
    });
  }
  form.querySelectorAll("input[name=timeframe_kind]").forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();
