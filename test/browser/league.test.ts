/**
 * requirements §13, browser tests: the public NHS Oversight Framework league tables in headless Chromium
 * at today's date (2026-12-04), with the demonstration banner on — sorting (server-side NHS.UK
 * sortable table, with and without JavaScript), the region/ICB/segment filters, the CSV and JSON
 * downloads, and axe-core WCAG 2.2 A/AA clean on every page; each page saved as a screenshot.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import type { FastifyInstance } from "fastify";
import type { Browser, Page } from "playwright-core";
import type { CalendarDate } from "../../src/domain/shared/dates.js";
import { buildServer } from "../../src/web/server.js";
import { openTestDatabase, type TestDatabase } from "../support/database.js";
import {
  axeViolations,
  browserUnavailable,
  collectErrors,
  launchBrowser,
  screenshot,
} from "./support.js";

const unavailable = browserUnavailable();
const TODAY = "2026-12-04" as CalendarDate;

describe(
  "public league tables in Chromium (requirements §13)",
  { skip: unavailable ?? false },
  () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let base: string;
    let browser: Browser;

    before(async () => {
      t = await openTestDatabase("pglite");
      app = await buildServer(t.ctx, { today: () => TODAY, demoMode: true });
      await app.listen({ host: "127.0.0.1", port: 0 });
      const address = app.server.address();
      assert.ok(address && typeof address === "object");
      base = `http://127.0.0.1:${address.port}`;
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await app?.close();
      await t?.close();
    });

    async function check(page: Page, errors: string[], path: string, name: string) {
      const response = await page.goto(`${base}${path}`);
      assert.equal(response?.status(), 200, path);
      assert.deepEqual(await axeViolations(page), [], `${path}: axe violations`);
      assert.deepEqual(errors, [], `${path}: console errors`);
      await screenshot(page, name);
    }

    const column = (page: Page, index: number) =>
      page.$$eval(`#league tbody tr td:nth-child(${index})`, (cells) =>
        cells.map((c) => (c.textContent ?? "").trim()),
      );

    it("every league page at today's date: banner, no console error, no axe violation, screenshot", async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const errors = collectErrors(page);
      await check(page, errors, "/public", "league-public-index-today");
      assert.match(
        (await page.textContent("#demo-banner")) ?? "",
        /Demonstration data.*synthetic/s,
      );
      assert.match(
        (await page.textContent("#national-picture")) ?? "",
        /Acute trusts, Q2 2026\/27/,
      );
      await check(page, errors, "/public/league", "league-index");
      await check(
        page,
        errors,
        "/public/league/acute_trusts?quarter=Q1%202025%2F26",
        "league-acute-q1-real",
      );
      assert.equal(await page.$("#synthetic-notice"), null, "NHS England's Q1 acute data are real");
      await check(page, errors, "/public/league/acute_trusts", "league-acute-latest-synthetic");
      assert.ok(await page.$("#synthetic-notice"), "a synthetic quarter says so");
      await check(
        page,
        errors,
        "/public/league/mh_community_trusts?quarter=Q2%202025%2F26",
        "league-mh-q2-changes",
      );
      await check(page, errors, "/public/league/ambulance_trusts", "league-ambulance");
      await check(
        page,
        errors,
        "/public/league/acute_trusts/metrics/OF0023?quarter=Q1%202025%2F26",
        "league-metric-of0023",
      );
      await check(
        page,
        errors,
        "/public/league/acute_trusts/trusts/RF4?quarter=Q1%202025%2F26",
        "league-trust-rf4",
      );
      await check(page, errors, "/public/league/method", "league-method");
      await check(page, errors, "/public/league?as_of=2025-06-01", "league-no-data-date");
      await context.close();
    });

    for (const javaScriptEnabled of [true, false]) {
      it(`sorting by a column header, ${javaScriptEnabled ? "with" : "without"} JavaScript`, async () => {
        const context = await browser.newContext({ javaScriptEnabled });
        const page = await context.newPage();
        await page.goto(`${base}/public/league/acute_trusts?quarter=Q1%202025%2F26`);
        const ranks = (await column(page, 1)).map((c) => Number(c.split(/\s/)[0]));
        assert.deepEqual(
          ranks,
          [...ranks].sort((a, b) => a - b),
          "by rank at first",
        );
        await page.click('#league thead a:text-is("Trust")');
        await page.waitForURL(/sort=name/);
        const names = (await column(page, 2)).map((c) => c.replace(/\s*\([A-Z0-9]+\).*$/s, ""));
        assert.deepEqual(
          names,
          [...names].sort((a, b) => a.localeCompare(b, "en-GB")),
        );
        assert.equal(await page.getAttribute("#league th[aria-sort]", "aria-sort"), "ascending");
        await page.click('#league thead a:text-is("Trust")');
        await page.waitForURL(/order=descending/);
        const reversed = (await column(page, 2)).map((c) => c.replace(/\s*\([A-Z0-9]+\).*$/s, ""));
        assert.deepEqual(reversed, [...names].reverse());
        if (javaScriptEnabled) await screenshot(page, "league-sorted-by-name-descending");
        await context.close();
      });
    }

    it("the filters: region, ICB and segment narrow the table, each row in the chosen group", async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${base}/public/league/acute_trusts?quarter=Q1%202025%2F26`);
      const all = (await column(page, 2)).length;
      await page.selectOption("#region", "London");
      await page.selectOption("#segment", "3");
      await page.click('#filters button[type="submit"]');
      await page.waitForURL(/region=London/);
      const regions = await column(page, 3);
      assert.ok(regions.length > 0 && regions.length < all);
      assert.ok(regions.every((r) => r === "London"));
      const segments = await column(page, 4);
      assert.ok(segments.every((s) => s.startsWith("Segment 3")));
      await screenshot(page, "league-filtered-london-segment-3");
      const icb = await page.$eval(
        "#icb option:nth-child(2)",
        (o) => o.getAttribute("value") ?? "",
      );
      await page.goto(`${base}/public/league/acute_trusts?quarter=Q1%202025%2F26&icb=${icb}`);
      const codes = await page.$$eval("#league tbody tr[data-code]", (rows) => rows.length);
      assert.ok(codes > 0 && codes < all);
      await context.close();
    });

    it("the CSV and JSON downloads under the table hold every trust, likely ranges and synthetic marks", async () => {
      const context = await browser.newContext({ acceptDownloads: true });
      const page = await context.newPage();
      await page.goto(`${base}/public/league/acute_trusts`);
      const [csvDownload] = await Promise.all([
        page.waitForEvent("download"),
        page.click(".app-downloads a:text-is('CSV')"),
      ]);
      const csv = parse(readFileSync((await csvDownload.path())!), { columns: true }) as Record<
        string,
        string
      >[];
      assert.equal(csv.length, 134);
      assert.ok(
        csv.every(
          (r) =>
            r.synthetic === "synthetic (not real)" && Number(r.likely_rank_low) <= Number(r.rank),
        ),
      );
      const [jsonDownload] = await Promise.all([
        page.waitForEvent("download"),
        page.click(".app-downloads a:text-is('JSON')"),
      ]);
      const json = JSON.parse(readFileSync((await jsonDownload.path())!, "utf8")) as {
        synthetic: boolean;
        rows: unknown[];
      };
      assert.equal(json.synthetic, true);
      assert.equal(json.rows.length, 134);
      await page.goto(`${base}/public/league/acute_trusts/metrics/OF0023?quarter=Q1%202025%2F26`);
      const [metricCsv] = await Promise.all([
        page.waitForEvent("download"),
        page.click(".app-downloads a:text-is('CSV')"),
      ]);
      const metricRows = parse(readFileSync((await metricCsv.path())!), {
        columns: true,
      }) as Record<string, string>[];
      assert.equal(metricRows.length, 131);
      assert.ok(metricRows.every((r) => r.synthetic === "no" && r.scoring_basis === "confirmed"));
      await context.close();
    });
  },
);
