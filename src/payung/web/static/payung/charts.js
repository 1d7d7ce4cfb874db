// Draws every chart of the page (core/templates/partials/chart.html) with vega-embed.
// The CSP forbids eval and new Function, which Vega's default expression compiler uses:
// the spec is parsed to an AST (ast: true) and run by vega-interpreter. The canvas
// renderer and no tooltip/actions keep Vega from writing inline styles (also forbidden).
// The numbers read the Indonesian way (50.000; Rp1.008.000.000): the locale is the one
// core/charts.py gives vl-convert for PDFs, passed here through a JSON script element.
import { expressionInterpreter } from "vega-interpreter";

const locale = JSON.parse(document.getElementById("chart-locale").textContent);

for (const view of document.querySelectorAll("[data-chart-spec]")) {
  const spec = JSON.parse(document.getElementById(view.dataset.chartSpec).textContent);
  window
    .vegaEmbed(view, spec, {
      ast: true,
      expr: expressionInterpreter,
      actions: false,
      tooltip: false,
      renderer: "canvas",
      defaultStyle: false,
      formatLocale: locale.format,
      timeFormatLocale: locale.time,
    })
    .then(() => view.classList.add("chart-ready"))
    .catch((error) => {
      // The table beside the chart carries the same numbers: say the drawing failed.
      view.nextElementSibling.hidden = false;
      console.error(error);
    });
}
