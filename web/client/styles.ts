// The stylesheet entry of the client build: `deno bundle` emits styles.css from these imports. CSS is never
// imported from island modules, because server rendering under Deno cannot load it.
import "uplot/dist/uPlot.min.css";
import "../static/app.css";
