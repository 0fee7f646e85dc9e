// A problem of the flow itself (an unknown variable, an unreadable request file, a refused retry):
// the run stops it and the CLI exits 2, as for an invalid flow file.
export class FlowError extends Error {
  override readonly name = 'FlowError';
  /** The step's property the problem is about, when not the step as a whole. */
  constructor(
    message: string,
    readonly node?: 'retry',
  ) {
    super(message);
  }
}
