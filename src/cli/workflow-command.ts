/**
 * `oversight audit verify` and `oversight history <org>`: the tamper-evident audit log and the
 * segment history of an organisation (Issue 4).
 */
import { Option, type Command } from "commander";
import { CliError, withServicesAs } from "./commands.js";

export function registerWorkflowCommands(program: Command): void {
  const audit = program.command("audit").description("the append-only, hash-chained audit log");
  audit
    .command("verify")
    .description(
      "recompute the audit log's hash chain and name the first broken link (exit 1 if broken)",
    )
    .action(async () => {
      const { verifyAudit } = await import("../services/audit.js");
      const verdict = await withServicesAs((ctx, actor) => verifyAudit(ctx, actor));
      if (!verdict.ok)
        throw new CliError(
          `audit chain broken at event ${verdict.first_broken_seq} of ${verdict.events}: ${verdict.reason}`,
        );
      console.log(
        `audit chain intact: ${verdict.events} events, last hash ${verdict.last_hash.slice(0, 16)}…`,
      );
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
        process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
        return;
      }
      if (entries.length === 0) {
        console.log(`${org}: no segment decisions recorded`);
        return;
      }
      for (const e of entries) {
        const s = e.assessment_snapshot;
        const fired = s.criteria_fired.map((c) => c.id).join(", ") || "none";
        console.log(
          `${e.effective_from}\tsegment ${e.segment}\t${e.deciding_body}\t${e.decision_reference}\t${e.framework_id}, data as at ${e.data_as_at}; criteria fired: ${fired}`,
        );
      }
    });
}
