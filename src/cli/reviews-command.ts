/**
 * `oversight reviews due`: the review schedule (requirements §4; DOMAIN §7) — each organisation whose
 * segmentation is due for review, the trigger (cadence or the event, with its evidence) and the
 * deadline, a Europe/London calendar date.
 */
import { InvalidArgumentError, Option, type Command } from "commander";
import { londonToday } from "../clock.js";
import { parseCalendarDate, type CalendarDate } from "../domain/shared/dates.js";
import type { ReviewSchedule } from "../services/reviews.js";
import { CliError, withServicesAs } from "./session.js";
import { write } from "./io.js";

function asOfOption(value: string): CalendarDate {
  const date = parseCalendarDate(value);
  if (!date) throw new InvalidArgumentError("--as-of must be a date YYYY-MM-DD.");
  return date;
}

export function formatReviewScheduleText(schedule: ReviewSchedule): string {
  const scope = [
    schedule.region ? `region ${schedule.region}` : null,
    schedule.icb ? `ICB ${schedule.icb}` : null,
  ].filter((s) => s !== null);
  const heading = `${schedule.reviews.length} review(s) due on ${schedule.as_of} under ${schedule.framework.short_name}${scope.length ? ` (${scope.join(", ")})` : ""}`;
  const lines = schedule.reviews.map(
    (r) =>
      `${r.deadline}${r.overdue ? " OVERDUE" : ""}\t${r.organisation.code} ${r.organisation.name} (segment ${r.segment}${r.segment_source === "proposed" ? ", proposed" : ""})\t${r.trigger}: ${r.sentence}`,
  );
  return `${[heading, ...lines].join("\n")}\n`;
}

export function registerReviewsCommands(program: Command): void {
  const reviews = program
    .command("reviews")
    .description("the review schedule (docs/domain.md §7): cadence and event-triggered reviews");
  reviews
    .command("due")
    .description(
      "the reviews due on a date, sorted by deadline, each with its trigger, evidence and deadline",
    )
    .option(
      "--region <region>",
      "only organisations in this region: its name (London) or code (Y56)",
    )
    .option("--icb <code>", "only this ICB and the organisations in its system")
    .option("--as-of <date>", "the date, in Europe/London (default: today)", asOfOption)
    .addOption(
      new Option("--format <format>", "output format").choices(["json", "text"]).default("text"),
    )
    .action(
      async (opts: { region?: string; icb?: string; asOf?: CalendarDate; format: string }) => {
        const { reviewsDueFor } = await import("../services/reviews.js");
        const { AssessmentRequestError } = await import("../services/assessment.js");
        const { InvalidInputError } = await import("../services/errors.js");
        let schedule: ReviewSchedule;
        try {
          schedule = await withServicesAs((ctx, actor) =>
            reviewsDueFor(ctx, actor, {
              asOf: opts.asOf ?? londonToday(),
              region: opts.region,
              icb: opts.icb,
            }),
          );
        } catch (error) {
          if (error instanceof InvalidInputError || error instanceof AssessmentRequestError)
            throw new CliError(error.message);
          throw error;
        }
        write(
          opts.format === "json"
            ? `${JSON.stringify(schedule, null, 2)}\n`
            : formatReviewScheduleText(schedule),
        );
      },
    );
}
