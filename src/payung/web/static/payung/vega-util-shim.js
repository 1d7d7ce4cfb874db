// The three vega-util names Vega's CSP-safe interpreter imports (vega-interpreter is an ES
// module importing "vega-util"; the import map in core/templates/partials/chart_scripts.html
// points that name here). They come from the Vega bundle already loaded (window.vega), so
// the page loads one copy of vega-util, not two.
const vega = window.vega;
export const ascending = vega.ascending;
export const isString = vega.isString;
export const DisallowedObjectProperties = vega.DisallowedObjectProperties;
