/** A plan that cannot be made from what the user asked (an unknown id, a notification that does not render). */
export class PlanError extends Error {
  constructor(
    message: string,
    readonly notification: string,
  ) {
    super(message);
  }
}
