// Lighthouse on several pages in one Node process and one Chromium (tests/browser/test_lighthouse.py runs it).
//   node lighthouse_run.mjs CHROMIUM '["--flag", ...]' '["performance", ...]' URL...
// Prints one JSON object: URL -> {scores, metrics, failing audits}. Mobile form factor and simulated throttling:
// Lighthouse's defaults, the same as PageSpeed Insights.
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const [chromePath, flags, categories, ...urls] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({chromePath, chromeFlags: JSON.parse(flags)});
const results = {};
try {
  for (const url of urls) {
    const {lhr} = await lighthouse(url, {port: chrome.port, logLevel: "error", onlyCategories: JSON.parse(categories)});
    const failing = Object.values(lhr.audits)
      .filter(a => a.score !== null && a.score < 1 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "manual")
      .map(a => ({id: a.id, title: a.title, score: a.score, value: a.displayValue || "",
                  items: (Array.isArray(a.details && a.details.items) ? a.details.items : []).slice(0, 5)
                    .map(i => JSON.stringify(i).slice(0, 300))}));
    const metric = id => (lhr.audits[id] && lhr.audits[id].displayValue) || "-";
    results[url] = {
      scores: Object.fromEntries(Object.entries(lhr.categories).map(([id, c]) => [id, Math.round(c.score * 100)])),
      metrics: {FCP: metric("first-contentful-paint"), LCP: metric("largest-contentful-paint"),
                TBT: metric("total-blocking-time"), CLS: metric("cumulative-layout-shift"), SI: metric("speed-index")},
      failing,
      runtimeError: lhr.runtimeError ? lhr.runtimeError.message : null,
    };
  }
} finally {
  await chrome.kill();
}
process.stdout.write(JSON.stringify(results));
