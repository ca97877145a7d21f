/**
 * The shipped organisation registry (data/registry): the ODS etr list of trusts, the ICB list and
 * the sector of each trust, turned into organisation records.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { parseCompactDate } from "../domain/shared/dates.js";
import type { OrganisationRecord } from "./bundle.js";

export const REGISTRY_DIR = fileURLToPath(new URL("../../data/registry/", import.meta.url));

/** ICBs were established on 1 July 2022 (Health and Care Act 2022). */
const ICB_OPEN_DATE = "2022-07-01";
const ENGLISH_REGIONS = /^Y5[6-9]$|^Y6[0-3]$/;

const LOWER_WORDS = new Set(["and", "of", "the", "for", "in", "on", "upon"]);
const UPPER_WORDS = new Set(["NHS", "ICB"]);

/** ODS names are upper case; people read "Manchester University NHS Foundation Trust". */
export function titleCaseOrgName(name: string): string {
  return name
    .toLowerCase()
    .split(" ")
    .map((word, i) => {
      if (UPPER_WORDS.has(word.toUpperCase())) return word.toUpperCase();
      if (i > 0 && LOWER_WORDS.has(word)) return word;
      return word.replace(
        /(^|[-(])([a-z])/g,
        (_m, pre: string, c: string) => pre + c.toUpperCase(),
      );
    })
    .join(" ");
}

export function registryOrganisations(dir: string = REGISTRY_DIR): OrganisationRecord[] {
  const etr = parse(readFileSync(`${dir}/etr.csv`), { relax_column_count: true }) as string[][];
  const sectors = new Map(
    (
      parse(readFileSync(`${dir}/trust-sectors.csv`), { columns: true }) as {
        code: string;
        sector: string;
      }[]
    ).map((r) => [r.code, r.sector]),
  );
  const icbs = parse(readFileSync(`${dir}/icbs.csv`), { columns: true }) as {
    code: string;
    name: string;
    region: string;
  }[];
  const records: OrganisationRecord[] = icbs.map((icb) => ({
    code: icb.code,
    name: icb.name,
    kind: "icb",
    sector: null,
    region: icb.region,
    icb_code: null,
    open_date: ICB_OPEN_DATE,
    close_date: null,
  }));
  for (const [code, name, region, icbCode, , , , , , , open, close] of etr) {
    if (!code || !name || !region || !ENGLISH_REGIONS.test(region)) continue;
    const sector = sectors.get(code);
    if (!sector) throw new Error(`data/registry/trust-sectors.csv has no sector for ${code}`);
    records.push({
      code,
      name: titleCaseOrgName(name),
      kind: /FOUNDATION TRUST/.test(name) ? "foundation_trust" : "nhs_trust",
      sector,
      region,
      icb_code: icbCode ?? null,
      open_date: requiredDate(code, open),
      close_date: close ? (parseCompactDate(close) ?? null) : null,
    });
  }
  return records.sort((a, b) => (a.code < b.code ? -1 : 1));
}

function requiredDate(code: string, text: string | undefined): string {
  const date = parseCompactDate(text ?? "");
  if (!date) throw new Error(`data/registry/etr.csv: ${code} has no valid open date`);
  return date;
}
