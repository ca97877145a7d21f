/**
 * requirements §2, rule A: the organisation registry the product ships (data/registry, from the ODS etr
 * extract in ../shared/data/ods/etr.csv). Expected values are read from the source CSVs here, or
 * are facts checked by hand in them and named in the test.
 */
import assert from "node:assert/strict";
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import { ORG_KINDS, SECTORS, isOpenOn } from "../../src/domain/organisations/organisation.js";
import type { CalendarDate } from "../../src/domain/shared/dates.js";
import type { OrganisationRecord } from "../../src/ingest/bundle.js";
import {
  REGISTRY_DIR,
  registryOrganisations,
  titleCaseOrgName,
} from "../../src/ingest/registry.js";
import { listOrganisations } from "../../src/services/organisations.js";
import { openTestDatabase, testEngines, type TestDatabase } from "../support/database.js";
import { loadRegistry } from "./load-registry.js";

const SHARED_ETR = fileURLToPath(new URL("../../../shared/data/ods/etr.csv", import.meta.url));
/** NHS England regions: ODS codes Y56–Y63 (Welsh trusts are W00). */
const ENGLISH_REGION = /^Y(5[6-9]|6[0-3])$/;

const etr = parse(readFileSync(join(REGISTRY_DIR, "etr.csv")), {
  relax_column_count: true,
}) as string[][];
const englishTrustRows = etr.filter((r) => ENGLISH_REGION.test(r[2] ?? ""));
const icbRows = parse(readFileSync(join(REGISTRY_DIR, "icbs.csv")), { columns: true }) as {
  code: string;
  name: string;
  region: string;
}[];
const sectorRows = parse(readFileSync(join(REGISTRY_DIR, "trust-sectors.csv")), {
  columns: true,
}) as { code: string; sector: string }[];

const records = registryOrganisations();
const byCode = new Map(records.map((o) => [o.code, o]));
const openOn = (o: OrganisationRecord, date: string) =>
  isOpenOn(
    { openDate: o.open_date as CalendarDate, closeDate: o.close_date as CalendarDate | null },
    date as CalendarDate,
  );
const day = (text: string) => text as CalendarDate;

describe("registry from data/registry (requirements §2 A)", () => {
  it(
    "data/registry/etr.csv is the shared ODS etr extract, unchanged",
    {
      skip: !existsSync(SHARED_ETR) && "../shared/data is not present",
    },
    () => {
      assert.ok(readFileSync(join(REGISTRY_DIR, "etr.csv")).equals(readFileSync(SHARED_ETR)));
    },
  );

  it("holds every English trust of etr.csv and every ICB of icbs.csv, and no Welsh trust", () => {
    const expected = [...englishTrustRows.map((r) => r[0]!), ...icbRows.map((r) => r.code)].sort();
    assert.deepEqual(
      records.map((o) => o.code),
      expected,
    );
    const welsh = etr.filter((r) => r[2] === "W00").map((r) => r[0]!);
    assert.ok(welsh.length > 0, "the extract has Welsh trusts to leave out");
    for (const code of welsh) assert.equal(byCode.has(code), false, `${code} is Welsh`);
    assert.equal(icbRows.length, 42, "England has 42 integrated care boards");
  });

  it("every organisation has a code, name, kind, region Y56–Y63; a trust has a sector and an ICB, an ICB neither", () => {
    const icbCodes = new Set(icbRows.map((r) => r.code));
    for (const o of records) {
      assert.match(o.code, /^[A-Z0-9]{3,6}$/);
      assert.ok(o.name.length > 0, `${o.code} has a name`);
      assert.ok((ORG_KINDS as readonly string[]).includes(o.kind), `${o.code} kind ${o.kind}`);
      assert.match(o.region, ENGLISH_REGION, `${o.code} region`);
      if (o.kind === "icb") {
        assert.equal(o.sector, null, `${o.code}: an ICB has no sector`);
        assert.equal(o.icb_code, null, `${o.code}: an ICB belongs to no ICB`);
      } else {
        assert.ok((SECTORS as readonly string[]).includes(o.sector ?? ""), `${o.code} sector`);
        assert.ok(icbCodes.has(o.icb_code ?? ""), `${o.code} ICB ${o.icb_code} is an ICB`);
      }
    }
  });

  it("a trust is a foundation trust exactly when its ODS name says FOUNDATION TRUST", () => {
    for (const row of englishTrustRows) {
      const o = byCode.get(row[0]!)!;
      assert.equal(o.kind, row[1]!.includes("FOUNDATION TRUST") ? "foundation_trust" : "nhs_trust");
    }
    assert.ok(records.some((o) => o.kind === "foundation_trust"));
    assert.ok(records.some((o) => o.kind === "nhs_trust"));
  });

  it("a trust's region, ICB and dates are its etr.csv columns 3, 4, 11 and 12; its sector is trust-sectors.csv's", () => {
    const compact = (d: string) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
    const sector = new Map(sectorRows.map((r) => [r.code, r.sector]));
    for (const row of englishTrustRows) {
      const o = byCode.get(row[0]!)!;
      assert.equal(o.region, row[2]);
      assert.equal(o.icb_code, row[3]);
      assert.equal(o.open_date, compact(row[10]!));
      assert.equal(o.close_date, row[11] ? compact(row[11]) : null);
      assert.equal(o.sector, sector.get(o.code));
    }
    // The six provider sectors of the domain all occur in the shipped data.
    assert.deepEqual(
      [...new Set(records.flatMap((o) => (o.sector ? [o.sector] : [])))].sort(),
      [...SECTORS].sort(),
    );
  });

  it("real facts: Guy's and St Thomas' (RJ1) is a London acute foundation trust in South East London ICB", () => {
    assert.deepEqual(byCode.get("RJ1"), {
      code: "RJ1",
      name: "Guy's and St Thomas' NHS Foundation Trust",
      kind: "foundation_trust",
      sector: "acute",
      region: "Y56",
      icb_code: "QKK",
      open_date: "1993-04-01",
      close_date: null,
    });
    assert.equal(byCode.get("QKK")?.name, "NHS South East London Integrated Care Board");
    assert.equal(byCode.get("QKK")?.region, "Y56");
    assert.equal(byCode.get("RX9")?.sector, "ambulance", "East Midlands Ambulance Service");
  });

  it("ICBs open on 1 July 2022 (Health and Care Act 2022) and have not closed", () => {
    const icbs = records.filter((o) => o.kind === "icb");
    assert.equal(icbs.length, 42);
    for (const icb of icbs) {
      assert.equal(icb.open_date, "2022-07-01");
      assert.equal(icb.close_date, null);
      assert.equal(openOn(icb, "2022-06-30"), false);
      assert.equal(openOn(icb, "2022-07-01"), true);
    }
  });

  it("a closed trust is open up to and including its close date, then not (Pennine Acute, RW6)", () => {
    const rw6 = byCode.get("RW6")!;
    assert.equal(rw6.name, "Pennine Acute Hospitals NHS Trust");
    assert.equal(rw6.close_date, "2021-09-30");
    assert.equal(openOn(rw6, "2021-09-30"), true);
    assert.equal(openOn(rw6, "2021-10-01"), false);
    assert.equal(openOn(rw6, rw6.open_date), true);
    assert.equal(openOn(rw6, "2002-03-31"), false, "not before it opened");
  });

  it("isOpenOn: open from the open date, through the close date inclusive; no close date = still open", () => {
    const org = { openDate: day("2020-10-01"), closeDate: day("2021-03-31") };
    assert.equal(isOpenOn(org, day("2020-09-30")), false);
    assert.equal(isOpenOn(org, day("2020-10-01")), true);
    assert.equal(isOpenOn(org, day("2021-03-31")), true);
    assert.equal(isOpenOn(org, day("2021-04-01")), false);
    assert.equal(isOpenOn({ ...org, closeDate: null }, day("2099-12-31")), true);
  });

  it("names read in title case, as the registry README says", () => {
    assert.equal(
      titleCaseOrgName("MANCHESTER UNIVERSITY NHS FOUNDATION TRUST"),
      "Manchester University NHS Foundation Trust",
    );
    assert.equal(
      titleCaseOrgName("THE NEWCASTLE UPON TYNE HOSPITALS NHS FOUNDATION TRUST"),
      "The Newcastle upon Tyne Hospitals NHS Foundation Trust",
    );
    assert.equal(byCode.get("R0A")?.name, "Manchester University NHS Foundation Trust");
  });

  it("an English trust with no sector in trust-sectors.csv is an error naming it", () => {
    const dir = mkdtempSync(join(tmpdir(), "oversight-registry-"));
    try {
      for (const f of ["etr.csv", "icbs.csv"]) copyFileSync(join(REGISTRY_DIR, f), join(dir, f));
      const lines = readFileSync(join(REGISTRY_DIR, "trust-sectors.csv"), "utf8").split("\n");
      writeFileSync(
        join(dir, "trust-sectors.csv"),
        lines.filter((l) => !l.startsWith("RJ1,")).join("\n"),
      );
      assert.throws(() => registryOrganisations(dir), /no sector for RJ1/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

for (const engine of testEngines()) {
  describe(`registry loaded and listed as at a date [${engine}] (requirements §2 A)`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await openTestDatabase(engine);
      await loadRegistry(t.ctx);
    });
    after(() => t.close());

    it("loads every registry organisation once; loading it again changes nothing", async () => {
      const [row] = await t.db.query<{ n: number; revisions: number }>(
        "SELECT count(*)::int AS n, max(revision)::int AS revisions FROM organisations",
      );
      assert.deepEqual(row, { n: records.length, revisions: 1 });
      const again = await loadRegistry(t.ctx);
      assert.equal(again.importId, null);
      assert.equal(again.files[0]?.unchanged, records.length);
    });

    it("listOrganisations(asOf) is exactly the organisations open that day", async () => {
      for (const asOf of [
        "2016-04-01",
        "2020-09-30",
        "2020-10-01",
        "2021-09-30",
        "2021-10-01",
        "2022-06-30",
        "2022-07-01",
        "2026-05-31",
      ]) {
        const listed = await listOrganisations(t.ctx, day(asOf));
        assert.deepEqual(
          listed.map((o) => o.code).sort(),
          records
            .filter((o) => openOn(o, asOf))
            .map((o) => o.code)
            .sort(),
          `as at ${asOf}`,
        );
      }
    });

    it("as at 2022-06-30 there are no ICBs; as at 2022-07-01 all 42, listed after the trusts", async () => {
      const before = await listOrganisations(t.ctx, day("2022-06-30"));
      assert.equal(before.filter((o) => o.kind === "icb").length, 0);
      const onTheDay = await listOrganisations(t.ctx, day("2022-07-01"));
      const icbs = onTheDay.filter((o) => o.kind === "icb");
      assert.deepEqual(icbs.map((o) => o.code).sort(), icbRows.map((r) => r.code).sort());
      const firstIcb = onTheDay.findIndex((o) => o.kind === "icb");
      assert.ok(onTheDay.slice(firstIcb).every((o) => o.kind === "icb"));
    });

    it("Poole (RD3) and Royal Bournemouth (RDZ) drop out after 2020-09-30; University Hospitals Dorset (R0D) opens 2020-10-01", async () => {
      const codes = async (asOf: string) =>
        new Set((await listOrganisations(t.ctx, day(asOf))).map((o) => o.code));
      const lastDay = await codes("2020-09-30");
      const nextDay = await codes("2020-10-01");
      for (const closed of ["RD3", "RDZ"]) {
        assert.equal(byCode.get(closed)?.close_date, "2020-09-30");
        assert.ok(lastDay.has(closed));
        assert.ok(!nextDay.has(closed));
      }
      assert.equal(byCode.get("R0D")?.open_date, "2020-10-01");
      assert.ok(!lastDay.has("R0D"));
      assert.ok(nextDay.has("R0D"));
    });

    it("a listed organisation carries its region name and its ICB's name", async () => {
      const listed = await listOrganisations(t.ctx, day("2022-07-01"));
      const rj1 = listed.find((o) => o.code === "RJ1");
      assert.deepEqual(rj1, {
        code: "RJ1",
        name: "Guy's and St Thomas' NHS Foundation Trust",
        kind: "foundation_trust",
        sector: "acute",
        region: "Y56",
        regionName: "London",
        icbCode: "QKK",
        icbName: icbRows.find((r) => r.code === "QKK")!.name,
        openDate: "1993-04-01",
        closeDate: null,
      });
      const qkk = listed.find((o) => o.code === "QKK");
      assert.equal(qkk?.icbCode, null);
      assert.equal(qkk?.sector, null);
    });
  });
}
