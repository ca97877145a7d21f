import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { CalendarDate } from "../../domain/shared/dates.js";
import type { ServiceContext } from "../../services/context.js";

export interface ApiOptions {
  ctx: ServiceContext;
  /** The date the API treats as today when a request gives no `as_of` (Europe/London). */
  today: () => CalendarDate;
}

/** The Fastify instance the API's routes are declared on: zod schemas type each handler. */
export type ApiInstance = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;
