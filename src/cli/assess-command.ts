/**
 * `oversight assess` and `oversight judgements …`: the assessment engine over the stored data,
 * and the judgement inputs it reads.
 */
import { InvalidArgumentError, Option, type Command } from "commander";
import { londonToday } from "../clock.js";
import type { Assessment } from "../domain/assessment/index.js";
import type { ExplanationNode } from "../domain/criteria/types.js";
import { JUDGEMENT_KINDS } from "../domain/frameworks/schema.js";
import { parseCalendarDate, type CalendarDate } from "../domain/shared/dates.js";
import type { PictureAnswer } from "../services/national-picture.js";
import { formatScoredAssessmentText } from "./assess-scored-text.js";
import { CliError, defaultUser, withServicesAs } from "./session.js";
import { say, warn, write } from "./io.js";

export function dateOption(name: string) {
  return (value: string): CalendarDate => {
    const date = parseCalendarDate(value);
    if (!date) throw new InvalidArgumentError(`${name} must be a date YYYY-MM-DD.`);
    return date;
  };
}

function explanationLines(node: ExplanationNode, depth: number): string[] {
  const mark = node.status === "fired" ? "●" : node.status === "not_fired" ? "○" : "?";
  return [
    `${"  ".repeat(depth)}${mark} ${node.sentence}`,
    ...node.children.flatMap((child) => explanationLines(child, depth + 1)),
  ];
}

export function formatAssessmentText(a: Assessment): string {
  const lines = [
    `${a.organisation.code} ${a.organisation.name}: segment ${a.proposed_segment} proposed (${a.framework.short_name}, as at ${a.as_of})`,
    `  ${a.sentence}`,
  ];
  for (const segment of a.segments) {
    lines.push(`  Segment ${segment.segment}: ${segment.sentence}`);
    for (const criterion of segment.criteria) lines.push(...explanationLines(criterion, 2));
  }
  for (const path of a.paths) lines.push(`  To segment ${path.target_segment}: ${path.sentence}`);
  return `${lines.join("\n")}\n`;
}

export function registerAssessCommands(program: Command): void {
  program
    .command("assess")
    .description(
      "assess one or all organisations under a framework version: proposed segment, every reason with its data, and the path to each other segment",
    )
    .option("--framework <id>", "framework version (default: the one in force on --as-of)")
    .option("--as-of <date>", "assess on this date (default: today)", dateOption("--as-of"))
    .option("--org <code>", "one organisation (default: all open on the date)")
    .addOption(
      new Option("--format <format>", "output format").choices(["json", "text"]).default("text"),
    )
    .action(
      async (opts: { framework?: string; asOf?: CalendarDate; org?: string; format: string }) => {
        const { assessFor, isScoredRun, AssessmentRequestError } =
          await import("../services/assessment.js");
        const asOf = opts.asOf ?? londonToday();
        let run: Awaited<ReturnType<typeof assessFor>>;
        let picture: PictureAnswer | undefined;
        try {
          [run, picture] = await withServicesAs(async (ctx, actor) => {
            const assessed = await assessFor(ctx, actor, {
              asOf,
              ...(opts.framework ? { frameworkId: opts.framework } : {}),
              ...(opts.org ? { orgCode: opts.org } : {}),
            });
            // requirements §13: one organisation the engine cannot segment on the date (e.g. no stored
            // data under the framework in force) gets its place in the national picture, or one
            // line saying why there is none and the latest date that has its data.
            const unsegmented =
              opts.org !== undefined &&
              assessed.assessments.every((a) =>
                "final_segment" in a ? a.final_segment === null : a.proposed_segment === null,
              );
            if (!unsegmented) return [assessed, undefined] as const;
            const { pictureAnswer } = await import("../services/national-picture.js");
            return [assessed, await pictureAnswer(ctx, opts.org!.toUpperCase(), asOf)] as const;
          });
        } catch (error) {
          if (error instanceof AssessmentRequestError) throw new CliError(error.message);
          throw error;
        }
        if (opts.format === "json") {
          write(
            `${JSON.stringify(picture ? { ...run, national_picture: picture } : run, null, 2)}\n`,
          );
          return;
        }
        if (picture) {
          write(`${picture.line}\n`);
          return;
        }
        for (const warning of run.warnings) warn(`warning: ${warning}`);
        write(
          isScoredRun(run)
            ? run.assessments.map(formatScoredAssessmentText).join("\n")
            : run.assessments.map(formatAssessmentText).join("\n"),
        );
      },
    );

  const judgements = program
    .command("judgements")
    .description(
      "judgement inputs the assessment reads (docs/domain.md §5): recorded facts with author and date",
    );
  judgements
    .command("add")
    .description("record a judgement")
    .requiredOption("--org <code>", "organisation code")
    .addOption(
      new Option("--kind <kind>", "what is judged").choices(JUDGEMENT_KINDS).makeOptionMandatory(),
    )
    .requiredOption("--summary <text>", "what was found, and on what evidence")
    .option("--theme <id>", "the framework theme it concerns, if one")
    .option("--on <date>", "in effect from (default: today)", dateOption("--on"))
    .option("--as <user>", "who records it (default: $OVERSIGHT_USER or the system user)")
    .action(
      async (opts: {
        org: string;
        kind: (typeof JUDGEMENT_KINDS)[number];
        summary: string;
        theme?: string;
        on?: CalendarDate;
        as?: string;
      }) => {
        const { recordJudgement, JudgementError } = await import("../services/judgements.js");
        try {
          const record = await withServicesAs((ctx, actor) =>
            recordJudgement(
              ctx,
              {
                org_code: opts.org,
                kind: opts.kind,
                summary: opts.summary,
                theme: opts.theme ?? null,
                recorded_by: opts.as ?? (actor.role === "system" ? defaultUser() : actor.user),
                recorded_on: opts.on ?? londonToday(),
              },
              actor,
            ),
          );
          say(
            `judgement ${record.id} recorded: ${record.org_code} ${record.kind} from ${record.recorded_on}`,
          );
        } catch (error) {
          if (error instanceof JudgementError) throw new CliError(error.message);
          throw error;
        }
      },
    );
  judgements
    .command("end")
    .description("end a judgement that no longer stands (it is kept, never deleted)")
    .argument("<id>", "the judgement's id")
    .option("--on <date>", "no longer in effect from (default: today)", dateOption("--on"))
    .action(async (id: string, opts: { on?: CalendarDate }) => {
      if (!/^\d+$/.test(id)) throw new CliError(`judgement id must be a number, not "${id}"`);
      // Beyond any id the database holds (and beyond a bigint): said plainly, not as a SQL error.
      if (!Number.isSafeInteger(Number(id))) throw new CliError(`no judgement ${id}`);
      const { endJudgement, JudgementError } = await import("../services/judgements.js");
      try {
        const record = await withServicesAs((ctx, actor) =>
          endJudgement(ctx, Number(id), opts.on ?? londonToday(), actor),
        );
        say(`judgement ${record.id} ended on ${record.ends_on}`);
      } catch (error) {
        if (error instanceof JudgementError) throw new CliError(error.message);
        throw error;
      }
    });
  judgements
    .command("list")
    .description("list recorded judgements")
    .option("--org <code>", "one organisation")
    .action(async (opts: { org?: string }) => {
      const { listJudgements } = await import("../services/judgements.js");
      const rows = await withServicesAs((ctx, actor) => listJudgements(ctx, opts.org, actor));
      for (const j of rows)
        say(
          `${j.id}\t${j.org_code}\t${j.kind}\t${j.theme ?? "-"}\t${j.recorded_on}${j.ends_on ? `–${j.ends_on}` : ""}\t${j.recorded_by}\t${j.summary}`,
        );
    });
}
