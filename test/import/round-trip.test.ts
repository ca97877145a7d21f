/**
 * requirements §2, Data bundle import: export → import into an empty database → export gives
 * byte-identical files, with text that needs quoting, non-ASCII text and blank optional fields.
 */
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { exportBundle } from "../../src/services/export-bundle.js";
import { importBundle } from "../../src/services/import-bundle.js";
import { openTestDatabase, testEngines } from "../support/database.js";
import { HEADERS, TempFolders, csv, rowCounts } from "./fixtures.js";

const temp = new TempFolders();
after(() => temp.remove());

const FILES = ["cqc_ratings.csv", "intelligence.csv", "observations.csv", "organisations.csv"];

/** Hand-written, in no particular order: every file kind and every awkward kind of text. */
const BUNDLE = {
  "organisations.csv": csv(
    HEADERS.organisations,
    "RYX,Café Hôpital Trust,nhs_trust,mental_health,Y56,QMJ,2015-04-01,",
    'RKE,"Whittington Health NHS Trust\n(Tŷ Whittington)",nhs_trust,community,Y56,QMJ,2011-04-01,2024-03-31',
    'QMJ,"NHS North Central London ICB, ""NCL""",icb,,Y56,,2022-07-01,',
    "RAL,Royal Free London NHS Foundation Trust,foundation_trust,acute,Y56,QMJ,2002-04-01,",
  ),
  "observations.csv": csv(
    HEADERS.observations,
    "RYX,ae_4hr_all,2024-01-01,2024-01-31,100,,",
    "RKE,shmi,2023-01-01,2023-12-31,0.30000000000000004,,",
    "RKE,ae_4hr_all,2024-01-01,2024-01-31,75,750,1000",
    "RAL,ae_attendances,2024-01-01,2024-01-31,9999999.5,,",
    "RAL,ae_4hr_all,2024-03-01,2024-03-31,0.0000001,,",
    "RAL,ae_4hr_all,2024-02-01,2024-02-29,,2,3",
    "RAL,ae_4hr_all,2024-01-01,2024-01-31,72.5,,",
  ),
  "cqc_ratings.csv": csv(
    HEADERS.cqc_ratings,
    "RKE,2023-09-01,inadequate,inadequate,good",
    "RKE,2022-01-10,,,",
    "RAL,2023-06-14,good,,requires_improvement",
  ),
  "intelligence.csv": csv(
    HEADERS.intelligence,
    "RKE,2024-02-04,Press,media,\u{1F600} first in UTF-16 order,public",
    "RKE,2024-02-04,Press,media,\uFB01rst in code point order,public",
    'RKE,2024-02-03,Regional team,finance,"Line one\r\nline two, after a CRLF",official',
    'RKE,2024-02-03,Regional team,finance,"Deficit plan agreed; CIP at 4.2%, ""stretch""",official',
    'RAL,2024-03-02,"Healthwatch, Camden",patient experience,Élodie\'s complaint about discharge,official_sensitive',
    'RAL,2024-03-02,"Healthwatch, Camden",patient experience,"Patients said ""the café in Tŷ Gwyn ward is closed"", and parking is poor.',
    'Follow-up agreed.",public',
  ),
};

/** What exporting BUNDLE (with RAL's January A&E revised to 73) must write, byte for byte. */
const EXPECTED_EXPORT: Record<string, string> = {
  "organisations.csv": csv(
    HEADERS.organisations,
    'QMJ,"NHS North Central London ICB, ""NCL""",icb,,Y56,,2022-07-01,',
    "RAL,Royal Free London NHS Foundation Trust,foundation_trust,acute,Y56,QMJ,2002-04-01,",
    'RKE,"Whittington Health NHS Trust\n(Tŷ Whittington)",nhs_trust,community,Y56,QMJ,2011-04-01,2024-03-31',
    "RYX,Café Hôpital Trust,nhs_trust,mental_health,Y56,QMJ,2015-04-01,",
  ),
  // Sorted by key; numbers in their shortest exact form; only current revisions.
  "observations.csv": csv(
    HEADERS.observations,
    "RAL,ae_4hr_all,2024-01-01,2024-01-31,73,,",
    "RAL,ae_4hr_all,2024-02-01,2024-02-29,66.66666666666667,2,3",
    "RAL,ae_4hr_all,2024-03-01,2024-03-31,1e-7,,",
    "RAL,ae_attendances,2024-01-01,2024-01-31,9999999.5,,",
    "RKE,ae_4hr_all,2024-01-01,2024-01-31,75,750,1000",
    "RKE,shmi,2023-01-01,2023-12-31,0.30000000000000004,,",
    "RYX,ae_4hr_all,2024-01-01,2024-01-31,100,,",
  ),
  "cqc_ratings.csv": csv(
    HEADERS.cqc_ratings,
    "RAL,2023-06-14,good,,requires_improvement",
    "RKE,2022-01-10,,,",
    "RKE,2023-09-01,inadequate,inadequate,good",
  ),
  // Summaries of one day and source sort by code point: U+FB01 before U+1F600.
  "intelligence.csv": csv(
    HEADERS.intelligence,
    'RAL,2024-03-02,"Healthwatch, Camden",patient experience,"Patients said ""the café in Tŷ Gwyn ward is closed"", and parking is poor.',
    'Follow-up agreed.",public',
    'RAL,2024-03-02,"Healthwatch, Camden",patient experience,Élodie\'s complaint about discharge,official_sensitive',
    'RKE,2024-02-03,Regional team,finance,"Deficit plan agreed; CIP at 4.2%, ""stretch""",official',
    'RKE,2024-02-03,Regional team,finance,"Line one\r\nline two, after a CRLF",official',
    "RKE,2024-02-04,Press,media,\uFB01rst in code point order,public",
    "RKE,2024-02-04,Press,media,\u{1F600} first in UTF-16 order,public",
  ),
};

function readBundle(dir: string): Record<string, Buffer> {
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f))]));
}

for (const engine of testEngines()) {
  describe(`requirements §2, Data bundle import: export and import round trip [${engine}]`, () => {
    it("export → import into an empty database → export gives byte-identical files (requirements §2)", async () => {
      const source = await openTestDatabase(engine);
      const target = await openTestDatabase(engine);
      try {
        const first = await importBundle(source.ctx, temp.bundle(BUNDLE), { importedBy: "a" });
        assert.deepEqual(first.rejections, []);
        const revision = await importBundle(
          source.ctx,
          temp.bundle({
            "observations.csv": csv(
              HEADERS.observations,
              "RAL,ae_4hr_all,2024-01-01,2024-01-31,73,,",
            ),
          }),
          { importedBy: "a" },
        );
        assert.equal(revision.files[0]?.revised, 1);

        const exported = temp.folder("export-1");
        assert.deepEqual(
          (await exportBundle(source.ctx, exported)).map((w) => [w.file, w.rows]),
          [
            ["organisations.csv", 4],
            ["observations.csv", 7],
            ["cqc_ratings.csv", 3],
            ["intelligence.csv", 6],
          ],
        );
        const first_export = readBundle(exported);
        assert.deepEqual(Object.keys(first_export).sort(), FILES);
        for (const file of FILES)
          assert.equal(first_export[file]!.toString("utf8"), EXPECTED_EXPORT[file], file);

        // An empty database exports header-only files, which import as no change.
        const empty = temp.folder("export-empty");
        await exportBundle(target.ctx, empty);
        for (const [file, bytes] of Object.entries(readBundle(empty))) {
          const kind = file.replace(".csv", "") as keyof typeof HEADERS;
          assert.equal(bytes.toString("utf8"), `${HEADERS[kind]}\n`, file);
        }
        const nothing = await importBundle(target.ctx, empty, { importedBy: "b" });
        assert.deepEqual([nothing.ok, nothing.importId], [true, null]);

        const imported = await importBundle(target.ctx, exported, { importedBy: "b" });
        assert.deepEqual(imported.rejections, []);
        assert.deepEqual(
          imported.files.map((f) => [f.file, f.added]),
          [
            ["organisations.csv", 4],
            ["observations.csv", 7],
            ["cqc_ratings.csv", 3],
            ["intelligence.csv", 6],
          ],
        );
        const reexported = temp.folder("export-2");
        await exportBundle(target.ctx, reexported);
        const second_export = readBundle(reexported);
        assert.deepEqual(Object.keys(second_export).sort(), FILES);
        for (const file of FILES)
          assert.ok(first_export[file]!.equals(second_export[file]!), `${file} differs`);

        // The export is the source's current state: importing it back changes nothing.
        const counts = await rowCounts(source.db);
        const back = await importBundle(source.ctx, exported, { importedBy: "a" });
        assert.deepEqual([back.ok, back.importId], [true, null]);
        assert.deepEqual(await rowCounts(source.db), counts);
      } finally {
        await source.close();
        await target.close();
      }
    });
  });
}
