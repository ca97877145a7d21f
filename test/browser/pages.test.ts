/**
 * requirements §5, browser tests: headless Chromium against the real server on loopback over the demo
 * dataset. Every page renders with no console error and no axe-core WCAG 2.2 A/AA violation, and
 * is saved as a screenshot (test-output/screenshots/); the two journeys of the issue pass:
 * "find a trust → read why it is in its segment → open the SPC chart of the metric that drove
 * it", and "a regional user recommends → an RSG member decides → the public page shows the new
 * segment".
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { recordJudgement } from "../../src/services/judgements.js";
import { SYSTEM } from "../support/access.js";
import { segmentationOn } from "../../src/services/segmentation.js";
import {
  actAs,
  actorOf,
  axeViolations,
  browserUnavailable,
  collectErrors,
  launchBrowser,
  ROLES,
  screenshot,
  startDemoServer,
  type DemoServer,
  type Identity,
} from "./support.js";

const unavailable = browserUnavailable();

describe("web pages in Chromium (requirements §5)", { skip: unavailable ?? false }, () => {
  let server: DemoServer;
  let browser: Browser;
  let drop: string;
  let cqc: string;
  let candidate: { code: string; region: string };
  let requiring: { code: string; region: string };

  before(async () => {
    [server, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
    const story = (kind: string) => server.manifest.stories.find((s) => s.kind === kind)!.org_code;
    drop = story("sharp_deterioration");
    cqc = story("cqc_inadequate");
    // An NHS trust in segment 2 (the demo's adopted segmentation) and proposed for it still: 2 → 3
    // seeking actions (undertakings) is the RSG's to decide (sof-2016 routing
    // mandated_support_seeking_actions); segment 3 needs licence-breach evidence "or equivalent for
    // NHS trusts" (Annex A §12), recorded below.
    const segmentation = await segmentationOn(
      server.t.ctx,
      actorOf(ROLES.national),
      server.manifest.asOf,
    );
    const stories = new Set(server.manifest.stories.map((s) => s.org_code));
    const nhsTrusts = segmentation.organisations.filter(
      (r) => r.organisation.kind === "nhs_trust" && !stories.has(r.organisation.code),
    );
    const found = nhsTrusts.find((r) => r.decided?.segment === 2 && r.proposed?.segment === 2);
    assert.ok(found, "the demo has an NHS trust in segment 2, and proposed for it still");
    // Another NHS trust below segment 3, for requiring actions.
    const other = nhsTrusts.find((r) => r !== found && (r.decided?.segment ?? 9) < 3);
    assert.ok(other, "the demo has another NHS trust below segment 3");
    candidate = { code: found.organisation.code, region: found.organisation.region };
    requiring = { code: other.organisation.code, region: other.organisation.region };
    for (const org_code of [candidate.code, requiring.code])
      await recordJudgement(
        server.t.ctx,
        {
          org_code,
          kind: "licence_breach_evidence",
          summary: "Undertakings sought on the equivalent conditions for an NHS trust",
          recorded_by: "regional-team",
          recorded_on: server.manifest.asOf,
        },
        SYSTEM,
      );
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(who: Identity | null): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    if (who) await actAs(server, context, who);
    return { context, page: await context.newPage() };
  }

  /** Loads `path`, checks status, console and axe, and saves the screenshot. */
  async function checkPage(page: Page, errors: string[], path: string, name: string, status = 200) {
    const response = await page.goto(`${server.base}${path}`);
    assert.equal(response?.status(), status, `${path}: HTTP status`);
    await page.waitForLoadState("load");
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], `${path}: axe violations`);
    assert.deepEqual(errors, [], `${path}: console errors`);
    await screenshot(page, name);
  }

  const STAFF_PAGES = () => [
    ["/", "overview"],
    ["/organisations", "organisations"],
    ["/organisations?segment=4&kind=nhs_trust", "organisations-filtered"],
    [`/organisations/${drop}`, "profile"],
    [`/organisations/${cqc}`, "profile-cqc-inadequate"],
    [`/organisations/${drop}/metrics/ae_4hr_all`, "spc-chart"],
    ["/worklist", "worklist"],
    ["/recommendations", "recommendations"],
    [`/recommendations/new?org=${drop}`, "recommendation-form"],
    ["/league", "league-table"],
  ];
  const PUBLIC_PAGES = () => [
    ["/public", "public-index"],
    ["/public?page=2", "public-index-page-2"],
    [`/public/organisations/${cqc}`, "public-organisation"],
    ["/public/data", "public-data"],
  ];

  it("every staff page: no console error, no axe violation, screenshot", async () => {
    const { context, page } = await open(ROLES.national);
    const errors = collectErrors(page);
    for (const [path, name] of STAFF_PAGES()) await checkPage(page, errors, path!, `staff-${name}`);
    await context.close();
  });

  it("every public page, and the error pages: no console error, no axe violation, screenshot", async () => {
    const { context, page } = await open(null);
    const errors = collectErrors(page);
    for (const [path, name] of PUBLIC_PAGES()) await checkPage(page, errors, path!, name!);
    // The public list comes 50 to a page, with the NHS.UK pagination; the rest by search.
    await page.goto(`${server.base}/public`);
    const caption = await page.locator("caption").innerText();
    assert.match(caption, /^1 to 50 of \d+ matching organisations$/);
    assert.equal(await page.locator("tbody tr").count(), 50);
    await page.getByRole("link", { name: /Next/ }).first().click();
    await page.waitForURL(/page=2/);
    assert.match(await page.locator("caption").innerText(), /^51 to 100 of/);
    await checkPage(page, errors, "/no/such/page", "not-found", 404);
    // requirements §6: a staff page asks the public to sign in, and comes back after.
    await checkPage(page, errors, "/organisations", "sign-in", 200);
    assert.equal(new URL(page.url()).pathname, "/sign-in");
    assert.equal(new URL(page.url()).searchParams.get("next"), "/organisations");
    await checkPage(page, errors, "/public?as_of=yesterday", "bad-request", 400);
    await context.close();
  });

  it("journey: find a trust → read why it is in its segment → open the SPC chart of the metric that drove it", async () => {
    const { context, page } = await open(ROLES.national);
    const errors = collectErrors(page);
    await page.goto(`${server.base}/organisations`);
    const name = server.manifest.stories.find((s) => s.org_code === drop)!.org_name;
    await page.getByLabel("Name or code").fill(name);
    await page.getByRole("button", { name: "Show" }).click();
    await page.getByRole("link", { name, exact: true }).click();
    assert.equal(await page.getByRole("heading", { level: 1 }).innerText(), `${name} (${drop})`);
    // DOMAIN §5: the criterion that fired, in plain English, with links to its evidence.
    const dramaticDrop = page.locator("li", {
      has: page.locator("strong", { hasText: "Dramatic drop in performance" }),
    });
    assert.match(await dramaticDrop.first().innerText(), /^Met/);
    // requirements §5: the profile carries an SPC chart per metric, each with its icons and data table.
    const charts = page.locator("#spc ~ details.nhsuk-details");
    assert.ok((await charts.count()) > 5, "an SPC chart for each analysed metric");
    await charts.first().locator("summary").click();
    assert.equal(await charts.first().locator("svg[role=img]").count(), 1);
    assert.ok((await charts.first().locator("table tbody tr").count()) > 0, "its data table");
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, "journey-1-profile-spc-open");
    // The first metric under it that fired, and its SPC evidence link.
    const evidence = dramaticDrop
      .first()
      .locator("ul.app-tree > li", { has: page.locator(".nhsuk-tag--orange") })
      .first()
      .locator("a", { hasText: "(SPC chart)" })
      .first();
    await evidence.click();
    await page.waitForURL(/\/metrics\//);
    const chart = page.locator("figure#chart svg[role=img]");
    assert.match(
      (await chart.locator("title").first().textContent()) ?? "",
      /statistical process control chart/,
    );
    assert.ok((await page.locator(".app-spc__point--concern").count()) > 0, "concern points drawn");
    assert.match(await page.locator("#variation-label").innerText(), /concern/);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
    await screenshot(page, "journey-1-spc-chart");
    await context.close();
  });

  it("journey: a regional user recommends → an RSG member decides → the public page shows the new segment", async () => {
    const publicPage = `${server.base}/public/organisations/${candidate.code}`;
    const visitor = await open(null);
    await visitor.page.goto(publicPage);
    // The segment in force before: the demo's adopted segmentation.
    assert.match(await visitor.page.locator("#published-segment").innerText(), /^Segment 2/);

    const regional = await open(ROLES.regional(candidate.region));
    const errors = collectErrors(regional.page);
    await regional.page.goto(`${server.base}/organisations/${candidate.code}`);
    await regional.page.getByRole("link", { name: "Recommend a segment change" }).click();
    // Sent without a choice: the NHS.UK error summary, linked to the field.
    await regional.page.getByRole("button", { name: "Save recommendation" }).click();
    const summary = regional.page.locator(".nhsuk-error-summary");
    assert.match(await summary.innerText(), /There is a problem[\s\S]*Select the segment/);
    assert.deepEqual(await axeViolations(regional.page), []);
    await screenshot(regional.page, "journey-2-error-summary");
    await regional.page.getByLabel(/^Segment 3/).check();
    await regional.page
      .getByLabel("Rationale")
      .fill("Bottom quartile in two themes since the autumn.");
    await regional.page.getByLabel(/^Seeking actions/).check();
    await regional.page.getByRole("button", { name: "Save recommendation" }).click();
    await regional.page.waitForURL(/\/recommendations\/\d+$/);
    assert.match(await regional.page.locator("#routed-body").innerText(), /Regional Support Group/);
    await regional.page.getByRole("button", { name: /^Submit to/ }).click();
    assert.equal(await regional.page.locator("#state").innerText(), "Submitted");
    const recommendation = regional.page.url();
    assert.deepEqual(errors, []);
    await regional.context.close();

    const rsg = await open(ROLES.rsgMember(candidate.region));
    await rsg.page.goto(recommendation);
    await rsg.page.getByLabel("Agreed: segment 3").check();
    await rsg.page.getByLabel("Decision reference (minute or paper)").fill("RSG/2019/03/7");
    assert.deepEqual(await axeViolations(rsg.page), []);
    await screenshot(rsg.page, "journey-2-decision-form");
    await rsg.page.getByRole("button", { name: "Record decision" }).click();
    assert.equal(await rsg.page.locator("#state").innerText(), "Agreed");
    await rsg.context.close();

    // SOF §4: the public page shows the decided segment with its summary of reasons and support.
    await visitor.page.goto(publicPage);
    assert.match(await visitor.page.locator("#published-segment").innerText(), /Segment 3/);
    assert.match(await visitor.page.locator("main").innerText(), /Support/);
    assert.ok(
      !(await visitor.page.locator("main").innerText()).includes(
        "Bottom quartile in two themes since",
      ),
      "the rationale is never published",
    );
    await screenshot(visitor.page, "journey-2-public-page");
    await visitor.context.close();
  });

  it("journey: requiring actions go to the PRC having been through the RSG (DOMAIN §6, SOF §4)", async () => {
    const regional = await open(ROLES.regional(requiring.region));
    const errors = collectErrors(regional.page);
    await regional.page.goto(`${server.base}/recommendations/new?org=${requiring.code}`);
    await regional.page.getByLabel(/^Segment 3/).check();
    await regional.page.getByLabel("Rationale").fill("Governance failings: directions proposed.");
    await regional.page.getByLabel(/^Requiring actions/).check();
    await regional.page.getByRole("button", { name: "Save recommendation" }).click();
    await regional.page.waitForURL(/\/recommendations\/\d+$/);
    assert.match(await regional.page.locator("#routed-body").innerText(), /Provider Regulation/);
    await regional.page.getByRole("button", { name: /^Submit to/ }).click();
    const recommendation = regional.page.url();
    assert.deepEqual(errors, []);
    await regional.context.close();

    // The PRC cannot decide before the RSG has considered it: the error summary says why.
    const prc = await open(ROLES.prc);
    await prc.page.goto(recommendation);
    await prc.page.getByLabel(/^Agreed: segment 3/).check();
    await prc.page.getByLabel("Decision reference (minute or paper)").fill("PRC/2019/04");
    await prc.page.getByRole("button", { name: "Record decision" }).click();
    assert.match(
      await prc.page.locator(".nhsuk-error-summary").innerText(),
      /having been through the Regional Support Group/,
    );
    assert.equal(await prc.page.locator("#state").innerText(), "Submitted");

    const rsg = await open(ROLES.rsgMember(requiring.region));
    await rsg.page.goto(recommendation);
    await rsg.page.getByLabel("Supports the recommendation").check();
    await rsg.page.getByLabel("Reference (minute or paper)", { exact: true }).fill("RSG/2019/03/9");
    assert.deepEqual(await axeViolations(rsg.page), []);
    await screenshot(rsg.page, "journey-3-rsg-consideration");
    await rsg.page.getByRole("button", { name: "Record the consideration" }).click();
    assert.match(
      await rsg.page.locator("#consideration + .nhsuk-inset-text").innerText(),
      /supports/,
    );
    await rsg.context.close();

    await prc.page.goto(recommendation);
    await prc.page.getByLabel(/^Agreed: segment 3/).check();
    await prc.page.getByLabel("Decision reference (minute or paper)").fill("PRC/2019/04");
    await prc.page.getByRole("button", { name: "Record decision" }).click();
    assert.equal(await prc.page.locator("#state").innerText(), "Agreed");
    await screenshot(prc.page, "journey-3-prc-decided");
    await prc.context.close();
  });
});
