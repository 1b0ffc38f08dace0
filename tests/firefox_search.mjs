// The judged queries in Firefox ESR (Debian's firefox-esr), driven by puppeteer-core over
// WebDriver BiDi: Playwright's own Firefox build cannot be downloaded here.
// Input on stdin (JSON): {firefox, base, queries: [text...], run: "<function source>",
// open: "<function source>", viewport: {width, height}}. Output on stdout (JSON):
// {results: [[{href, marks}...]...], outside: [urls of requests that left the site]}.
// Used by tests/test_search_ranking.py; the query runner is sitekit/searcheval.py's.
import puppeteer from "puppeteer-core";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const job = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const browser = await puppeteer.launch({
  browser: "firefox", executablePath: job.firefox, headless: true,
  // No update checks, telemetry or remote settings: nothing may leave the machine.
  extraPrefsFirefox: {
    "network.dns.disableIPv6": true, "app.update.enabled": false, "datareporting.policy.dataSubmissionEnabled": false,
    "toolkit.telemetry.enabled": false, "browser.safebrowsing.malware.enabled": false,
    "browser.safebrowsing.phishing.enabled": false, "network.captive-portal-service.enabled": false,
  },
});
const outside = [];
try {
  const page = await browser.newPage();
  await page.setViewport(job.viewport);
  const site = new URL(job.base);
  page.on("request", request => {
    const url = new URL(request.url());
    const local = url.protocol === "file:" || url.protocol === "data:" || url.protocol === "blob:" ||
      url.protocol === "about:" || url.host === site.host && site.protocol !== "file:";
    if (!local) outside.push(request.url());
  });
  await page.goto(job.base + "index.html", { waitUntil: "load" });
  await page.evaluate(`(${job.open})()`);
  await page.waitForFunction(
    "(() => { const m = document.querySelector('.md-search-result__meta');" +
    " return m && m.textContent.trim() !== '' && !/Initializing|khởi tạo/i.test(m.textContent); })()",
    { timeout: 120000 });
  const results = [];
  for (const query of job.queries)
    results.push(await page.evaluate(`(${job.run})(${JSON.stringify(query)})`));
  process.stdout.write(JSON.stringify({ results, outside }));
} finally {
  await browser.close();
}
