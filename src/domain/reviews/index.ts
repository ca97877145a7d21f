export {
  cadenceFor,
  cadenceWindow,
  dueReviews,
  eventDate,
  triggerOf,
  type DueReview,
  type DueReviewTrigger,
  type EventTrigger,
  type ReviewCadence,
  type ReviewEvent,
  type ReviewPolicy,
  type ReviewSubject,
} from "./schedule.js";
export { metricEvents, periodEnd } from "./metric-events.js";
