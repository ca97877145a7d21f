/**
 * `oversight audit verify` and `oversight history <org>`: the tamper-evident audit log and the
 * segment history of an organisation (requirements §4).
 */
import { Option, type Command } from "commander";
import {
  ENFORCEMENT_EVENT_KINDS,
  type EnforcementEventKind,
} from "../domain/enforcement/events.js";
import type { CalendarDate } from "../domain/shared/dates.js";
import { CONFIDENTIALITY_LEVELS, type Confidentiality } from "../domain/access/policy.js";
import { dateOption } from "./assess-command.js";
import { CliError, withServicesAs } from "./session.js";
import { say, warn, write } from "./io.js";

export function registerWorkflowCommands(program: Command): void {
  const audit = program.command("audit").description("the append-only, hash-chained audit log");
  audit
    .command("verify")
    .description(
      "recompute the audit log's keyed hash chain, check it against the latest anchors (the anchor table and the anchor log file), and name the first broken link (exit 1 if broken); see docs/audit.md",
    )
    .option(
      "--anchor <seq:hash|file>",
      "a head published earlier (`audit head`, or the open-data export's audit-head.txt): the chain must still contain it, unchanged",
    )
    .option(
      "--deep",
      "also recompute each audited row's content hash and name every row that differs",
    )
    .action(async (opts: { anchor?: string; deep?: boolean }) => {
      const { readFileSync, existsSync } = await import("node:fs");
      const { parseAnchor } = await import("../domain/workflow/audit-chain.js");
      const { checkAudit } = await import("../services/audit.js");
      let given: { seq: number; hash: string; source: string } | undefined;
      if (opts.anchor !== undefined) {
        const fromFile = existsSync(opts.anchor);
        const text = fromFile
          ? (readFileSync(opts.anchor, "utf8").trim().split("\n").pop() ?? "").split(" ").pop()!
          : opts.anchor;
        const anchor = parseAnchor(text);
        if (anchor === null)
          throw new CliError(
            `--anchor must be SEQ:HASH as \`oversight audit head\` prints it (or a file ending with one), not "${opts.anchor}"`,
          );
        given = { ...anchor, source: fromFile ? `the head in ${opts.anchor}` : "the head given" };
      }
      const report = await withServicesAs((ctx, actor) =>
        checkAudit(ctx, actor, { ...(given ? { given } : {}), deep: opts.deep ?? false }),
      );
      const { verdict } = report;
      const checked = report.anchors.length
        ? `checked against ${report.anchors.map((a) => `${a.source} (event ${a.seq})`).join(", ")}`
        : "no anchor found to check against";
      const key = report.keyed
        ? `keyed (${report.keySource})`
        : "NOT keyed (no audit key configured: it detects accidents, not a forger)";
      if (!verdict.ok)
        throw new CliError(
          `audit chain broken at event ${verdict.first_broken_seq} of ${verdict.events}: ${verdict.reason} [${checked}]`,
        );
      say(
        `audit chain intact: ${verdict.events} events, last hash ${verdict.last_hash.slice(0, 16)}…; ${checked}; ${key}`,
      );
      if (report.rows) {
        for (const r of report.rows)
          warn(
            `${r.table} ${r.column} = ${r.value}: differs from the content hash recorded by event ${r.seq} (${r.action})`,
          );
        if (report.rows.length > 0)
          throw new CliError(
            `${report.rows.length} row(s) changed outside Oversight's audited writes (listed above)`,
          );
        say("every audited row matches its recorded content hash");
      }
    });
  audit
    .command("head")
    .description(
      "print the chain's head as SEQ:HASH, to publish or keep outside the database; `audit verify --anchor` checks against it",
    )
    .action(async () => {
      const { verifyAudit } = await import("../services/audit.js");
      const verdict = await withServicesAs((ctx, actor) => verifyAudit(ctx, actor));
      if (!verdict.ok)
        throw new CliError(
          `audit chain broken at event ${verdict.first_broken_seq} of ${verdict.events}: ${verdict.reason}; no head to publish`,
        );
      if (verdict.events === 0) throw new CliError("the audit log is empty: no head to publish");
      say(`${verdict.events}:${verdict.last_hash}`);
    });

  program
    .command("history")
    .description(
      "an organisation's segment history: each segment, from when, which body decided, and the assessment it rested on",
    )
    .argument("<org>", "organisation code")
    .addOption(
      new Option("--format <format>", "output format").choices(["json", "text"]).default("text"),
    )
    .action(async (org: string, opts: { format: string }) => {
      const { segmentHistory } = await import("../services/workflow.js");
      const entries = await withServicesAs((ctx, actor) => segmentHistory(ctx, actor, org));
      if (opts.format === "json") {
        write(`${JSON.stringify(entries, null, 2)}\n`);
        return;
      }
      if (entries.length === 0) {
        say(`${org}: no segment decisions recorded`);
        return;
      }
      for (const e of entries) {
        const s = e.assessment_snapshot;
        const fired = s.criteria_fired.map((c) => c.id).join(", ") || "none";
        say(
          `${e.effective_from}\tsegment ${e.segment}\t${e.deciding_body}\t${e.decision_reference}\t${e.framework_id}, data as at ${e.data_as_at}; criteria fired: ${fired}`,
        );
      }
    });

  const enforcement = program
    .command("enforcement")
    .description(
      "enforcement events (docs/domain.md §10): each one triggers an immediate segment review",
    );
  enforcement
    .command("record")
    .description("record an enforcement event: a step or outcome of enforcement action")
    .requiredOption("--org <code>", "organisation code")
    .addOption(
      new Option("--kind <kind>", "what happened")
        .choices(ENFORCEMENT_EVENT_KINDS)
        .makeOptionMandatory(),
    )
    .requiredOption("--on <date>", "the day it happened", dateOption("--on"))
    .requiredOption("--summary <text>", "what was done, and why")
    .option("--reference <ref>", "the notice's or decision's reference")
    .addOption(
      new Option("--confidentiality <level>", "who may read the summary")
        .choices(CONFIDENTIALITY_LEVELS)
        .default("official_sensitive"),
    )
    .action(
      async (opts: {
        org: string;
        kind: EnforcementEventKind;
        on: CalendarDate;
        summary: string;
        reference?: string;
        confidentiality: Confidentiality;
      }) => {
        const { recordEnforcementEvent } = await import("../services/enforcement.js");
        const event = await withServicesAs((ctx, actor) =>
          recordEnforcementEvent(ctx, actor, {
            org_code: opts.org,
            kind: opts.kind,
            occurred_on: opts.on,
            summary: opts.summary,
            reference: opts.reference ?? null,
            confidentiality: opts.confidentiality,
          }),
        );
        say(
          `enforcement event ${event.id} recorded: ${event.org_code} ${event.kind} on ${event.occurred_on}`,
        );
      },
    );
  enforcement
    .command("list")
    .description("an organisation's enforcement events, oldest first")
    .argument("<org>", "organisation code")
    .addOption(
      new Option("--format <format>", "output format").choices(["json", "text"]).default("text"),
    )
    .action(async (org: string, opts: { format: string }) => {
      const { listEnforcementEvents } = await import("../services/enforcement.js");
      const events = await withServicesAs((ctx, actor) => listEnforcementEvents(ctx, actor, org));
      if (opts.format === "json") {
        write(`${JSON.stringify(events, null, 2)}\n`);
        return;
      }
      if (events.length === 0) say(`${org}: no enforcement events recorded`);
      for (const e of events)
        say(
          `${e.occurred_on}\t${e.kind}\t${e.reference ?? "-"}\t${e.confidentiality}\t${e.summary}`,
        );
    });
}
