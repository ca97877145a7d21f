/**
 * requirements §2, rule 5: the web server, started for real on loopback over a test database holding
 * organisations imported through the bundle import service.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import type { CalendarDate } from "../../src/domain/shared/dates.js";
import { importBundle } from "../../src/services/import-bundle.js";
import { buildServer } from "../../src/web/server.js";
import { createAccount, type TestAccount } from "../support/access.js";
import { openTestDatabase, testEngines, type TestDatabase } from "../support/database.js";

const TODAY = "2024-06-01" as CalendarDate;

// Two ICBs and their trusts; one trust closed before TODAY, one opening after it.
const ORGANISATIONS = `code,name,kind,sector,region,icb_code,open_date,close_date
QWE,NHS South West London Integrated Care Board,icb,,Y56,,2022-07-01,
QUY,NHS Bristol North Somerset and South Gloucestershire Integrated Care Board,icb,,Y58,,2022-07-01,
RJ7,Thameside Acute Hospitals NHS Foundation Trust,foundation_trust,acute,Y56,QWE,2004-04-01,
RQY,Wandle Mental Health NHS Trust,nhs_trust,mental_health,Y56,QWE,1994-04-01,
RVJ,Severnvale Hospitals NHS Trust,nhs_trust,acute,Y58,QUY,2012-04-01,
RA7,Old Harbour Community NHS Trust,nhs_trust,community,Y58,QUY,2001-04-01,2023-03-31
RZZ,New Meadow Specialist NHS Foundation Trust,foundation_trust,specialist,Y58,QUY,2024-01-01,
`;

/** What the home page should list for an organisation: code, name, kind, sector, region, ICB. */
type Row = [string, string, string, string, string, string];
const ROWS: Record<string, Row> = {
  RJ7: [
    "RJ7",
    "Thameside Acute Hospitals NHS Foundation Trust",
    "NHS foundation trust",
    "Acute",
    "London",
    "NHS South West London Integrated Care Board",
  ],
  RQY: [
    "RQY",
    "Wandle Mental Health NHS Trust",
    "NHS trust",
    "Mental health",
    "London",
    "NHS South West London Integrated Care Board",
  ],
  RVJ: [
    "RVJ",
    "Severnvale Hospitals NHS Trust",
    "NHS trust",
    "Acute",
    "South West",
    "NHS Bristol North Somerset and South Gloucestershire Integrated Care Board",
  ],
  RA7: [
    "RA7",
    "Old Harbour Community NHS Trust",
    "NHS trust",
    "Community",
    "South West",
    "NHS Bristol North Somerset and South Gloucestershire Integrated Care Board",
  ],
  RZZ: [
    "RZZ",
    "New Meadow Specialist NHS Foundation Trust",
    "NHS foundation trust",
    "Specialist",
    "South West",
    "NHS Bristol North Somerset and South Gloucestershire Integrated Care Board",
  ],
  QWE: [
    "QWE",
    "NHS South West London Integrated Care Board",
    "Integrated care board",
    "–",
    "London",
    "–",
  ],
  QUY: [
    "QUY",
    "NHS Bristol North Somerset and South Gloucestershire Integrated Care Board",
    "Integrated care board",
    "–",
    "South West",
    "–",
  ],
};

const decode = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** The body rows of the organisations table, as cell texts (code to ICB; tags stripped). */
function tableRows(html: string): string[][] {
  const body = /<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(html);
  assert.ok(body, "the page has a table body");
  return [...body[1]!.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)]
      .map((cell) => decode(cell[1]!.replace(/<[^>]+>/g, "").trim()))
      .slice(0, 6),
  );
}

/** A staff viewer (requirements §6: a national oversight account's API token). */
let staff: TestAccount;
const staffGet = (url: string) => fetch(url, { headers: staff.headers });

for (const engine of testEngines()) {
  describe(`web server [${engine}] (requirements §2, rule 5)`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let base: string;
    const bundle = mkdtempSync(join(tmpdir(), "oversight-web-"));

    before(async () => {
      t = await openTestDatabase(engine);
      writeFileSync(join(bundle, "organisations.csv"), ORGANISATIONS);
      const report = await importBundle(t.ctx, bundle, { importedBy: "web test" });
      assert.deepEqual(report.rejections, []);
      assert.ok(report.ok);
      staff = await createAccount(t.ctx, {
        username: "web.test",
        role: "national_oversight",
        scope: "national",
      });
      app = await buildServer(t.ctx, { today: () => TODAY });
      await app.listen({ host: "127.0.0.1", port: 0 });
      const address = app.server.address();
      assert.ok(address && typeof address === "object");
      assert.equal(address.address, "127.0.0.1", "listening on loopback only");
      base = `http://127.0.0.1:${address.port}`;
    });

    after(async () => {
      await app?.close();
      await t?.close();
      rmSync(bundle, { recursive: true, force: true });
    });

    it("/ sends the public to the public site (requirements §5: nothing beyond what is published)", async () => {
      const response = await fetch(`${base}/`, { redirect: "manual" });
      assert.equal(response.status, 303);
      assert.equal(response.headers.get("location"), "/public");
      const organisations = await fetch(`${base}/organisations`, { redirect: "manual" });
      assert.equal(organisations.status, 303, "a staff page asks the public to sign in");
      assert.equal(organisations.headers.get("location"), "/sign-in?next=%2Forganisations");
    });

    it("/organisations lists every organisation open today with its kind, sector, region and ICB", async () => {
      const response = await staffGet(`${base}/organisations`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
      const html = await response.text();
      const rows = tableRows(html);
      // Trusts by name, then ICBs by name; RA7 (closed) is not open on TODAY.
      assert.deepEqual(rows, [ROWS.RZZ, ROWS.RVJ, ROWS.RJ7, ROWS.RQY, ROWS.QUY, ROWS.QWE]);
      assert.ok(html.includes("<title>Organisations – Oversight</title>"));
      assert.ok(html.includes(`open on ${TODAY}`), "the page says which day it shows");
      assert.ok(html.includes(`value="${TODAY}"`), "the date field holds the day shown");
      assert.ok(html.includes("6 trusts, foundation trusts and integrated care boards"));
    });

    it("?as_of= before an organisation opened hides it; after it closed hides it", async () => {
      const codes = async (asOf: string) => {
        const response = await staffGet(`${base}/organisations?as_of=${asOf}`);
        assert.equal(response.status, 200);
        const html = await response.text();
        assert.ok(html.includes(`open on ${asOf}`));
        return tableRows(html).map((r) => r[0]);
      };
      // RZZ opened 2024-01-01; RA7 closed 2023-03-31 (its last day open); ICBs from 2022-07-01.
      assert.deepEqual(await codes("2023-12-31"), ["RVJ", "RJ7", "RQY", "QUY", "QWE"]);
      assert.deepEqual(await codes("2024-01-01"), ["RZZ", "RVJ", "RJ7", "RQY", "QUY", "QWE"]);
      assert.deepEqual(await codes("2023-03-31"), ["RA7", "RVJ", "RJ7", "RQY", "QUY", "QWE"]);
      assert.deepEqual(await codes("2022-06-30"), ["RA7", "RVJ", "RJ7", "RQY"]);
      assert.deepEqual(await codes("1990-01-01"), []);
    });

    for (const bad of ["2024-02-30", "2023-02-29", "yesterday", "2024-6-1", "2024-06-01T00:00"]) {
      it(`a malformed as_of ${JSON.stringify(bad)} is a 400 page, not a 500`, async () => {
        const response = await staffGet(`${base}/organisations?as_of=${encodeURIComponent(bad)}`);
        assert.equal(response.status, 400);
        assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
        const html = await response.text();
        assert.ok(html.includes("<h1>There is a problem with the request</h1>"), html);
        assert.ok(html.includes("<title>There is a problem with the request – Oversight</title>"));
        assert.ok(html.includes("as_of: must be a date YYYY-MM-DD"));
      });
    }

    it("a repeated as_of is a 400, and a hostile one is not reflected as markup", async () => {
      const repeated = await staffGet(`${base}/organisations?as_of=2024-01-01&as_of=2024-02-01`);
      assert.equal(repeated.status, 400);
      const hostile = await staffGet(
        `${base}/organisations?as_of=${encodeURIComponent("<script>x</script>")}`,
      );
      assert.equal(hostile.status, 400);
      const html = await hostile.text();
      assert.ok(!html.includes("<script>x</script>"), "not reflected as markup");
      assert.ok(html.includes("as_of: must be a date YYYY-MM-DD"), "the problem is named");
    });

    it("/healthz answers 200", async () => {
      const response = await fetch(`${base}/healthz`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { status: "ok" });
    });

    it("serves the NHS.UK stylesheet and script the page links, and the assets they use", async () => {
      const html = await (await staffGet(`${base}/organisations`)).text();
      const stylesheet = /<link rel="stylesheet" href="([^"]+)"/.exec(html)?.[1];
      assert.equal(stylesheet, "/nhsuk/nhsuk-frontend.min.css");
      const css = await fetch(`${base}${stylesheet}`);
      assert.equal(css.status, 200);
      assert.match(css.headers.get("content-type") ?? "", /^text\/css/);
      const cssText = await css.text();
      assert.ok(cssText.length > 10_000 && cssText.includes(".nhsuk-header"), "the NHS.UK CSS");

      const script = /<script type="module" src="([^"]+)"/.exec(html)?.[1];
      assert.ok(script);
      const js = await fetch(`${base}${script}`);
      assert.equal(js.status, 200);
      assert.match(js.headers.get("content-type") ?? "", /javascript/);

      // Icons and manifest the template links, and images the stylesheet uses, are all served.
      const linked = [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
      const fromCss = [...cssText.matchAll(/url\((\/assets\/[^)]+)\)/g)].map((m) => m[1]!);
      assert.ok(linked.length > 0 && fromCss.length > 0);
      for (const path of new Set([...linked, ...fromCss])) {
        const response = await fetch(`${base}${path}`);
        assert.equal(response.status, 200, path);
        await response.arrayBuffer();
      }
    });

    it("serves nothing else from the package", async () => {
      for (const path of [
        "/nhsuk/nhsuk-frontend.css",
        "/nhsuk/index.js",
        "/nhsuk/%2e%2e/%2e%2e/package.json",
        "/assets/%2e%2e/%2e%2e/package.json",
      ]) {
        const response = await fetch(`${base}${path}`);
        assert.equal(response.status, 404, path);
        await response.arrayBuffer();
      }
    });

    it("an unknown path is the 404 page", async () => {
      const response = await fetch(`${base}/no/such/page`);
      assert.equal(response.status, 404);
      assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
      const html = await response.text();
      assert.ok(html.includes("<h1>Page not found</h1>"));
      assert.ok(html.includes("<title>Page not found – Oversight</title>"));
      assert.ok(html.includes('href="/nhsuk/nhsuk-frontend.min.css"'), "in the NHS.UK layout");
    });
  });
}
