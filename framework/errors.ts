/**
 * Errors that teach. Every error the kit throws on bad input names the component and method,
 * says what was expected and what came, and (where useful) what to do next.
 */

/** Base class of every error the kit throws on purpose. */
export class DlkitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A tensor had the wrong rank or size: `FullyConnected.forward expected input [batch, 4], got [150, 5]`. */
export class ShapeError extends DlkitError {}

/** A value was NaN or ±∞ where a finite number is required. */
export class NonFiniteError extends DlkitError {}

/** A method was called in the wrong order, e.g. `backward` before `forward`. */
export class StateError extends DlkitError {}

/** An argument was out of its allowed range (a negative learning rate, a rate outside [0, 1)). */
export class ValueError extends DlkitError {}

/** A tensor lives on a device this operation cannot read synchronously, or two inputs live on different devices. */
export class DeviceError extends DlkitError {}

/**
 * Thrown by every stub in `exercises/`: names the exercise, the component and method, and the handout
 * section to read. Tests recognise it and report "not implemented yet" rather than a failure.
 */
export class NotImplementedError extends DlkitError {
  readonly exercise: string;
  readonly component: string;
  readonly handout: string;

  constructor(exercise: string, component: string, handout: string) {
    super(`${exercise} ${component} is not implemented yet: read ${handout}, then fill in this function.`);
    this.exercise = exercise;
    this.component = component;
    this.handout = handout;
  }
}

/** Type guard that also recognises a NotImplementedError thrown across a module-duplication boundary. */
export function isNotImplementedError(error: unknown): error is NotImplementedError {
  return error instanceof NotImplementedError || (error instanceof Error && error.name === 'NotImplementedError');
}

/**
 * Throws the NotImplementedError of a one-line stub. The stub tool writes it where a `// SOLUTION` line
 * had its right-hand side (`return notImplemented('ex1', 'Sgd.update', 'docs/…#sgd');`); its type
 * `never` lets it stand in for a value of any type, so the stub still type-checks.
 */
export function notImplemented(exercise: string, component: string, handout: string): never {
  throw new NotImplementedError(exercise, component, handout);
}
