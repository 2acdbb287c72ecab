// Narrows the NUTS 2024 suggestions of an organisation's NUTS code to the country chosen in
// the same form. Without this script the input still suggests every region (by code or name).
(function () {
  "use strict";
  document.querySelectorAll("input[data-nuts-regions]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var country = input.form && input.form.querySelector("select[name=country]");
    if (!list || !country) {
      return;
    }
    var all = Array.prototype.slice.call(list.options).map(function (option) {
      return option.cloneNode(true);
    });
    function narrow() {
      var code = country.value;
      list.replaceChildren.apply(
        list,
        all.filter(function (option) {
          return !code || option.dataset.country === code;
        }).map(function (option) {
          return option.cloneNode(true);
        })
      );
    }
    country.addEventListener("change", narrow);
    narrow();
  });
})();
