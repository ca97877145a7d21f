/**
 * Case workflows as data: a table of transitions `{ from, event, to, by, guard?, clock? }` and
 * the pure functions every case type shares — the next state, the events possible from a state,
 * whether a state is final, and the deadlines the clocks give. A new case type (mandated support,
 * an enforcement case, a quality escalation) is a new table, its guards and its clocks' durations
 * read from a framework or guidance file; no new plumbing (docs/architecture.md has a worked
 * example). The recommendation lifecycle (recommendation-state.ts) is the first table.
 *
 * Pure: no clock, no I/O. Dates are Europe/London calendar dates (src/clock.ts makes them).
 */
import type { Action } from "../access/policy.js";
import { addDays, addMonths, type CalendarDate } from "../shared/dates.js";
import type { DecisionBody } from "./routing.js";

/**
 * Who takes a transition: the roles the access matrix grants `action`
 * (src/domain/access/policy.ts), or a decision body — the one the case was routed to, or a named
 * one — whose seat the actor must hold (DECISION_BODY_SEATS).
 */
export type Party = { action: Action } | { body: "routed" | DecisionBody };

/**
 * A clock a transition starts: `name` is the duration's key in the framework or guidance file.
 * The period counts from the day after the transition, so its deadline is the duration after the
 * transition's day (the Enforcement Guidance's representations period of 28 days "from the day
 * after receipt" of a notice received on 1 March ends on 29 March), as the review schedule's
 * event deadlines count.
 */
export interface ClockStart {
  name: string;
}

export interface TransitionRule<State extends string, Event extends string, Guard extends string> {
  from: State;
  event: Event;
  to: State;
  by: Party;
  /** A named check the case type supplies; the transition is refused while it fails. */
  guard?: Guard;
  clock?: ClockStart;
}

export interface StateMachine<State extends string, Event extends string, Guard extends string> {
  /** What the case is called in a refusal: "recommendation". */
  name: string;
  states: readonly State[];
  transitions: readonly TransitionRule<State, Event, Guard>[];
}

/** A clock's length, as a framework or guidance file gives it. */
export interface ClockDuration {
  days?: number;
  months?: number;
}

export type Step<State extends string, Event extends string, Guard extends string> =
  | { ok: true; to: State; rule: TransitionRule<State, Event, Guard> }
  | { ok: false; reason: string };

/** Declares a machine, checking once that every transition joins two of its states. */
export function stateMachine<State extends string, Event extends string, Guard extends string>(
  machine: StateMachine<State, Event, Guard>,
): StateMachine<State, Event, Guard> {
  for (const t of machine.transitions)
    if (!machine.states.includes(t.from) || !machine.states.includes(t.to))
      throw new Error(`${machine.name}: ${t.from} --${t.event}--> ${t.to} joins an unknown state`);
  return machine;
}

/** The transitions possible from `state`. */
export function transitionsFrom<S extends string, E extends string, G extends string>(
  machine: StateMachine<S, E, G>,
  state: S,
): TransitionRule<S, E, G>[] {
  return machine.transitions.filter((t) => t.from === state);
}

/** A state nothing can follow. */
export function isFinalState<S extends string, E extends string, G extends string>(
  machine: StateMachine<S, E, G>,
  state: S,
): boolean {
  return transitionsFrom(machine, state).length === 0;
}

/**
 * The state `event` moves `from` to, or why it cannot. `failedGuard` names the guards that fail
 * now (the case type evaluates them); a transition whose guard fails is refused with that reason.
 */
export function step<S extends string, E extends string, G extends string>(
  machine: StateMachine<S, E, G>,
  from: S,
  event: E,
  failedGuard: (guard: G) => string | null = () => null,
): Step<S, E, G> {
  const rule = machine.transitions.find((t) => t.from === from && t.event === event);
  if (!rule)
    return {
      ok: false,
      reason: isFinalState(machine, from)
        ? `the ${machine.name} is ${from}, which is final: nothing can follow`
        : `cannot ${event} a ${machine.name} that is ${from}`,
    };
  const refusal = rule.guard ? failedGuard(rule.guard) : null;
  return refusal ? { ok: false, reason: refusal } : { ok: true, to: rule.to, rule };
}

/** An event that happened to a case, on a day. */
export interface CaseEvent<E extends string> {
  event: E;
  on: CalendarDate;
}

export interface Deadline<S extends string> {
  clock: string;
  /** The state the clock runs in: it stops when the case leaves it. */
  state: S;
  started_on: CalendarDate;
  due_on: CalendarDate;
  overdue: boolean;
}

function addDuration(date: CalendarDate, d: ClockDuration): CalendarDate {
  return addDays(addMonths(date, d.months ?? 0), d.days ?? 0);
}

/**
 * The deadline running for a case on `today`, replayed from its events (oldest first) from
 * `initial`: the clock of the transition that entered the current state, if it started one.
 * Throws if an event cannot happen (the history is not this machine's) or a clock's duration is
 * missing from `durations`.
 */
export function runningDeadline<S extends string, E extends string, G extends string>(
  machine: StateMachine<S, E, G>,
  initial: S,
  events: readonly CaseEvent<E>[],
  durations: Readonly<Record<string, ClockDuration>>,
  today: CalendarDate,
): Deadline<S> | null {
  let state = initial;
  let entered: { rule: TransitionRule<S, E, G>; on: CalendarDate } | null = null;
  for (const e of events) {
    const next = step(machine, state, e.event);
    if (!next.ok) throw new Error(`${machine.name} on ${e.on}: ${next.reason}`);
    state = next.to;
    entered = { rule: next.rule, on: e.on };
  }
  const clock = entered?.rule.clock;
  if (!entered || !clock) return null;
  const duration = durations[clock.name];
  if (!duration) throw new Error(`${machine.name}: no duration for the clock ${clock.name}`);
  const due = addDuration(entered.on, duration);
  return { clock: clock.name, state, started_on: entered.on, due_on: due, overdue: today > due };
}
